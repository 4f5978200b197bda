import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** The slice of the untyped `s3rver` package used here. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  resetOnClose: boolean;
  vhostBuckets: boolean;
}) => S3rverInstance;

export interface EmbeddedStoreOptions {
  /** Where buckets and objects are kept; survives restarts. */
  directory: string;
  host?: string;
  /** 0 picks a free port; the bound one is in the returned endpoint. */
  port?: number;
  silent?: boolean;
}

export interface EmbeddedStore {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  stop(): Promise<void>;
}

/** s3rver accepts only this built-in key pair. */
const S3RVER_CREDENTIAL = 'S3RVER';

/**
 * Runs an S3-compatible server in-process for local development and tests.
 * It verifies no V4 signatures and no POST policies, and serves every object to anyone who can
 * reach it, so it only ever listens on loopback.
 */
export async function startEmbeddedStore({
  directory,
  host = '127.0.0.1',
  port = 0,
  silent = true,
}: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  await mkdir(directory, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: host,
    port,
    directory,
    silent,
    resetOnClose: false,
    // Clients use path-style URLs; host-named buckets would misroute a non-IP host name.
    vhostBuckets: false,
  });
  const address = await server.run();
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${address.port}`,
    accessKey: S3RVER_CREDENTIAL,
    secretKey: S3RVER_CREDENTIAL,
    region: 'us-east-1',
    stop() {
      stopped ??= (async () => {
        const closing = server.close();
        // Idle keep-alive sockets from the S3 client would otherwise hold close() open.
        server.httpServer?.closeIdleConnections();
        await closing;
      })();
      return stopped;
    },
  };
}
