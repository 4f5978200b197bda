import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEST_JWT_SECRET = 'test-secret-for-the-disputes-api-suite';
/** The METRICS_TOKEN of production-mode processes that name neither it nor METRICS_PORT. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-for-production-processes';
/** Names the file where the global setup tells the test files how to reach the services. */
export const ENV_FILE_VAR = 'DISPUTES_TEST_ENV_FILE';

export interface TestEnv {
  databaseUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; bucket: string; region: string };
  apiUrl: string;
  wsUrl: string;
  apiPid: number;
}

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `dist/src/main.js` as a real server process and waits until it listens. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const logs: string[] = [];
  const child = fork(path.join(ROOT, 'dist', 'src', 'main.js'), [], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      SQL_STATS: 'true',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      // Production requires one of the two (config.ts); a test refusing it passes METRICS_TOKEN: ''.
      ...(env.NODE_ENV === 'production' && env.METRICS_PORT === undefined
        ? { METRICS_TOKEN: TEST_METRICS_TOKEN }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`API did not start:\n${logs.join('')}`)),
      60_000,
    );
    child.on('message', (m: { ready?: boolean; url: string; port: number }) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code}:\n${logs.join('')}`));
    });
  });
  return {
    url: ready.url,
    port: ready.port,
    child,
    logs,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        // Already gone (exited, or killed by a signal): its 'exit' will not come again.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export function readTestEnv(): TestEnv {
  const file = process.env[ENV_FILE_VAR];
  if (!file)
    throw new Error('Run the tests with jest (npm test): the global setup starts the services.');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestEnv;
}

/** What points an extra API process at the suite's object store (beside its own DATABASE_URL). */
export function storeEnv(): Record<string, string> {
  const { s3 } = readTestEnv();
  return {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
  };
}
