import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignatureGate } from './s3-signature-gate';

/** The slice of the untyped `s3rver` package used here. */
interface S3rverInstance {
  configureBuckets(): Promise<unknown>;
  callback(): RequestListener;
  logger: { close(): void };
}
type S3rverConstructor = new (options: {
  directory: string;
  silent: boolean;
  resetOnClose: boolean;
  vhostBuckets: boolean;
}) => S3rverInstance;
/** s3rver's account registry: it answers InvalidAccessKeyId for keys it does not hold. */
type S3rverAccountConstructor = new (
  id: number,
  displayName: string,
) => {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
};

export interface EmbeddedStoreOptions {
  /** Where buckets and objects are kept; survives restarts. */
  directory: string;
  host?: string;
  /** 0 picks a free port; the bound one is in the returned endpoint. */
  port?: number;
  silent?: boolean;
  /**
   * Browser origins that may upload and download directly (CORS), or `*`. Default `*`: the
   * embedded store serves local development, where the page's origin is anyone's guess.
   */
  corsOrigins?: readonly string[];
}

export interface EmbeddedStore {
  endpoint: string;
  /** A key pair made for this start: only requests signed with it get through. */
  accessKey: string;
  secretKey: string;
  region: string;
  stop(): Promise<void>;
}

/** What a browser may send and read on a direct upload or download. */
const CORS_METHODS = 'GET, HEAD, POST, PUT';
const CORS_EXPOSED = 'ETag, Location, x-amz-request-id';

/**
 * The store's CORS rule, for every bucket. s3rver has per-bucket CORS configurations, but it
 * applies them only to object paths, and a presigned POST goes to the bucket's path; its
 * preflights would also need the bucket to exist before the API creates it. Preflights carry
 * no credentials and change nothing, so they are answered here, before the signature gate.
 */
function withCors(origins: readonly string[], next: RequestListener): RequestListener {
  const any = origins.includes('*');
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin && (any || origins.includes(origin))) {
      res.setHeader('access-control-allow-origin', any ? '*' : origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSED);
      if (!any) res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        const requested = req.headers['access-control-request-headers'];
        res.writeHead(204, {
          'access-control-allow-methods': CORS_METHODS,
          ...(requested ? { 'access-control-allow-headers': requested } : {}),
          'access-control-max-age': '3000',
        });
        res.end();
        return;
      }
    }
    next(req, res);
  };
}

/**
 * Runs an S3-compatible server (s3rver) in-process for local development and tests.
 * s3rver itself checks no V4 signatures and no POST policies, so it never listens: its
 * handler is reached only through the signature gate (s3-signature-gate.ts), on a loopback
 * port, and only requests signed with this start's random key pair get through.
 */
export async function startEmbeddedStore({
  directory,
  host = '127.0.0.1',
  port = 0,
  silent = true,
  corsOrigins = ['*'],
}: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  await mkdir(directory, { recursive: true });
  /* eslint-disable @typescript-eslint/no-require-imports */
  const S3rver = require('s3rver') as S3rverConstructor;
  const S3rverAccount = require('s3rver/lib/models/account') as S3rverAccountConstructor;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const accessKey = `EMB${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`;
  const secretKey = randomBytes(30).toString('base64url');
  const s3rver = new S3rver({
    directory,
    silent,
    resetOnClose: false,
    // Clients use path-style URLs; host-named buckets would misroute a non-IP host name.
    vhostBuckets: false,
  });
  // What s3rver's own run() does before it would listen.
  await s3rver.configureBuckets();
  // The gate has checked the signature; s3rver only needs to know the key to treat the
  // request as authenticated (it refuses response-header overrides to anonymous callers).
  const account = new S3rverAccount(
    Number.parseInt(randomBytes(5).toString('hex'), 16),
    'disputes-api',
  );
  account.createKeyPair(accessKey, secretKey);

  const server = createServer(
    withCors(
      corsOrigins,
      createSignatureGate(
        { accessKeyId: accessKey, secretAccessKey: secretKey },
        s3rver.callback(),
      ),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${address.port}`,
    accessKey,
    secretKey,
    region: 'us-east-1',
    stop() {
      stopped ??= (async () => {
        const closing = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive sockets from the S3 client would otherwise hold close() open.
        server.closeIdleConnections();
        await closing;
        account.revokeAccessKey(accessKey);
        s3rver.logger.close();
      })();
      return stopped;
    },
  };
}
