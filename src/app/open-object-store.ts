import path from 'node:path';
import type { Config } from '../platform/config';
import type { EmbeddedStore } from '../dev/embedded-object-store.js';
import { MinioObjectStore } from '../platform/minio-object-store';

/** The configured S3-compatible store, or an embedded one under DATA_DIR when S3_ENDPOINT is unset. */
export async function openObjectStore(config: Config): Promise<{
  store: MinioObjectStore;
  embeddedEndpoint: string | null;
  stop: () => Promise<void>;
}> {
  let embedded: EmbeddedStore | null = null;
  if (!config.S3_ENDPOINT) {
    // The embedded store is development's (src/dev/): loaded only when it is the one in use.
    const { startEmbeddedStore } = await import('../dev/embedded-object-store.js');
    embedded = await startEmbeddedStore({ directory: path.join(config.DATA_DIR, 'objects') });
  }
  const store = new MinioObjectStore({
    endPoint: embedded?.endpoint ?? config.S3_ENDPOINT!,
    accessKey: embedded?.accessKey ?? config.S3_ACCESS_KEY!,
    secretKey: embedded?.secretKey ?? config.S3_SECRET_KEY!,
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
  });
  return {
    store,
    embeddedEndpoint: embedded?.endpoint ?? null,
    stop: async () => embedded?.stop(),
  };
}
