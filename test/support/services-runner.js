// Runs the test suite's PostgreSQL and S3 server in a plain Node process (both ship ES modules
// that Jest's module system cannot load) and reports where they listen over IPC.
const path = require('node:path');
const { startEmbeddedPostgres } = require('../../dist/src/dev/embedded-postgres.js');
const { startEmbeddedStore } = require('../../dist/src/dev/embedded-object-store.js');

async function main() {
  const dir = process.argv[2];
  const stops = [];
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({
      directory: path.join(dir, 'pg'),
      persistent: false,
      fast: true,
    });
    databaseUrl = db.url;
    stops.push(db.stop);
  }
  const s3 = await startEmbeddedStore({ directory: path.join(dir, 's3') });
  stops.unshift(s3.stop);
  const stop = async () => {
    for (const s of stops) await s().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send({
    databaseUrl,
    s3: { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey },
  });
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
