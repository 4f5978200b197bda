import path from 'node:path';
import type { Config } from '../platform/config';
import { startEmbeddedStore } from '../platform/embedded-object-store';
import { MinioObjectStore } from '../platform/minio-object-store';

/** The configured S3-compatible store, or an embedded one under DATA_DIR when S3_ENDPOINT is unset. */
export async function openObjectStore(config: Config): Promise<{
  store: MinioObjectStore;
  embeddedEndpoint: string | null;
  stop: () => Promise<void>;
}> {
  const embedded = config.S3_ENDPOINT
    ? null
    : await startEmbeddedStore({ directory: path.join(config.DATA_DIR, 'objects') });
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
