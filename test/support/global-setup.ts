import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENV_FILE_VAR, startApiProcess, type TestEnv } from './services';

/**
 * One real PostgreSQL (embedded, under the OS temp folder so its `postgres` user can reach
 * it; or DATABASE_URL when given), one real S3-speaking server, and one API process that
 * runs the real migrations at start. Test files talk to it over HTTP and WebSocket.
 */
export default async function globalSetup(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-api-test-'));
  fs.chmodSync(tmp, 0o755);

  const runner = fork(path.join(__dirname, 'services-runner.js'), [tmp], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const services = await new Promise<{
    databaseUrl: string;
    s3: { endpoint: string; accessKey: string; secretKey: string };
  }>((resolve, reject) => {
    runner.once('message', resolve as never);
    runner.once('exit', (code) => reject(new Error(`test services exited with ${code}`)));
  });
  const bucket = 'disputes-test';
  const region = 'us-east-1';
  const s3 = { ...services.s3, bucket, region };

  const api = await startApiProcess({
    DATABASE_URL: services.databaseUrl,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: bucket,
    S3_REGION: region,
  });

  const env: TestEnv = {
    databaseUrl: services.databaseUrl,
    s3,
    apiUrl: api.url,
    wsUrl: api.url.replace(/^http/, 'ws'),
    apiPid: api.child.pid ?? 0,
  };
  const envFile = path.join(tmp, 'env.json');
  fs.writeFileSync(envFile, JSON.stringify(env));
  process.env[ENV_FILE_VAR] = envFile;
  (globalThis as { __disputesTeardown?: () => Promise<void> }).__disputesTeardown = async () => {
    await api.stop();
    await new Promise<void>((resolve) => {
      if (runner.exitCode !== null) return resolve();
      runner.once('exit', () => resolve());
      runner.kill('SIGTERM');
    });
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}
