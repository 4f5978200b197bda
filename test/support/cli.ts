import { execFile } from 'node:child_process';
import path from 'node:path';
import { readTestEnv, ROOT } from './services';

/** Runs `node dist/src/cli.js ARGS` (what `npm run import|migrate|...` runs) against the test services. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { databaseUrl, s3: store } = readTestEnv();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'dist', 'src', 'cli.js'), ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: databaseUrl,
          S3_ENDPOINT: store.endpoint,
          S3_ACCESS_KEY: store.accessKey,
          S3_SECRET_KEY: store.secretKey,
          S3_BUCKET: store.bucket,
          S3_REGION: store.region,
          LOG_LEVEL: 'warn',
          ...env,
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
