// `npm run bench`: latency, SQL statements and memory of the main reads and writes, on a seeded
// database of realistic size, through HTTP like a client. Bounded in count and time; loopback only.
// Usage: npm run bench [-- --calls 50000 --disputes 10000 --iterations 200]
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client: Pg } = require('pg');

const ROOT = path.resolve(__dirname, '..');
const { signToken } = require(path.join(ROOT, 'dist/src/auth/tokens.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 50_000);
const DISPUTES = arg('disputes', 10_000);
const ITERATIONS = arg('iterations', 200);
const SECRET = 'bench-secret-for-the-disputes-api';

function forkReady(file, args, env) {
  const child = fork(file, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, info: m }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function seed(url) {
  const pg = new Pg({ connectionString: url });
  await pg.connect();
  const t = Date.now();
  await pg.query(`
    INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES
      ('a0000000-0000-4000-8000-00000000000a', 'Bench Buyer A', 72, 'USD'),
      ('b0000000-0000-4000-8000-00000000000b', 'Bench Buyer B', 48, 'USD');
    INSERT INTO users (id, name, email, role, account_id, permissions) VALUES
      ('a1000000-0000-4000-8000-00000000000a', 'Bench Ann', 'ann@bench.test', 'BUYER', 'a0000000-0000-4000-8000-00000000000a', '{DISPUTE_CALLS}'),
      ('b1000000-0000-4000-8000-00000000000b', 'Bench Bob', 'bob@bench.test', 'BUYER', 'b0000000-0000-4000-8000-00000000000b', '{DISPUTE_CALLS}'),
      ('c1000000-0000-4000-8000-00000000000c', 'Bench Max', 'max@bench.test', 'MANAGER', NULL, '{VIEW_DISPUTES,EDIT_DISPUTES}');
    INSERT INTO campaigns (id, name, dispute_window_hours)
      SELECT ('c0000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'Campaign ' || g, CASE WHEN g % 5 = 0 THEN 24 END
      FROM generate_series(1, 20) g;`);
  await pg.query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor, payout_minor,
       duration_seconds, status, hangup_by)
     SELECT gen_random_uuid(),
       CASE WHEN g % 2 = 0 THEN 'a0000000-0000-4000-8000-00000000000a'::uuid ELSE 'b0000000-0000-4000-8000-00000000000b'::uuid END,
       ('c0000000-0000-4000-8000-' || lpad((1 + g % 20)::text, 12, '0'))::uuid,
       date_trunc('milliseconds', now() - (g || ' minutes')::interval),
       '+1555' || lpad((g * 7919 % 10000000)::text, 7, '0'), '+1800555' || lpad((g % 10000)::text, 4, '0'),
       500 + g % 7500, 500 + g % 7500, g % 600,
       (ARRAY['COMPLETED_WITH_CONVERSION','COMPLETED_NO_CONVERSION','CALL_NOT_CONNECTED_WITH_CONVERSION','CALL_NOT_CONNECTED_NO_CONVERSION','IN_PROGRESS'])[1 + g % 5],
       'CALLER'
     FROM generate_series(1, $1) g`,
    [CALLS],
  );
  await pg.query(
    `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at, decided_at, decided_by, adjustment_minor)
     SELECT gen_random_uuid(), c.id, c.buyer_id, s.status, 'INVALID_CALLER', c.started_at,
       CASE WHEN c.buyer_id = 'a0000000-0000-4000-8000-00000000000a' THEN 'a1000000-0000-4000-8000-00000000000a'::uuid ELSE 'b1000000-0000-4000-8000-00000000000b'::uuid END,
       c.started_at + interval '1 hour',
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE c.started_at + interval '2 hours' END,
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE 'c1000000-0000-4000-8000-00000000000c'::uuid END,
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE 0 END
     FROM (SELECT id, buyer_id, started_at, row_number() OVER (ORDER BY started_at ASC) AS n FROM calls
           WHERE status IN ('COMPLETED_WITH_CONVERSION', 'CALL_NOT_CONNECTED_WITH_CONVERSION')) c
     CROSS JOIN LATERAL (SELECT (ARRAY['PENDING','REJECTED','REJECTED','PENDING'])[1 + c.n % 4] AS status) s
     WHERE c.n <= $1`,
    [DISPUTES],
  );
  await pg.query('ANALYZE');
  const seeded = Date.now() - t;
  await pg.end();
  return seeded;
}

async function gql(url, token, query, variables) {
  const t = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms, body };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(name, n, run) {
  const times = [];
  let statements = 0;
  await run(0); // warm-up
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < n && Date.now() < deadline; i++) {
    const r = await run(i + 1);
    times.push(r.ms);
    statements = r.body.extensions?.sqlStatements ?? statements;
  }
  return {
    name,
    n: times.length,
    p50: pct(times, 50),
    p95: pct(times, 95),
    max: Math.max(...times),
    statements,
  };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-bench-'));
  fs.chmodSync(tmp, 0o755);
  const services = await forkReady(path.join(ROOT, 'test/support/services-runner.js'), [tmp], {});
  const { databaseUrl, s3 } = services.info;
  const api = await forkReady(path.join(ROOT, 'dist/src/main.js'), [], {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: SECRET,
    SQL_STATS: 'true',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: 'bench',
  });
  const url = api.info.url;
  try {
    const seeded = await seed(databaseUrl);
    const buyer = await signToken(SECRET, 'a1000000-0000-4000-8000-00000000000a');
    const manager = await signToken(SECRET, 'c1000000-0000-4000-8000-00000000000c');
    const callPage = `query($first: Int) { calls(first: $first) { nodes { id startedAt callerId buyer { name } campaign { name }
      payout { amount currency } status disputability { allowed blockedBy windowEndsAt } disputes { id status } } pageInfo { endCursor } } }`;
    const disputePage = `query($first: Int, $search: String, $orderBy: DisputeOrder) { disputes(first: $first, search: $search, orderBy: $orderBy) {
      nodes { id status reason createdAt call { id callerId startedAt payout { amount } campaign { name } } buyer { name } createdBy { name } decision { outcome } }
      totalCount pageInfo { endCursor } } }`;
    const results = [];
    results.push(
      await measure('Call Log, 50 calls (buyer)', ITERATIONS, () =>
        gql(url, buyer, callPage, { first: 50 }),
      ),
    );
    results.push(
      await measure('Call Log, 5 calls (buyer)', ITERATIONS, () =>
        gql(url, buyer, callPage, { first: 5 }),
      ),
    );
    results.push(
      await measure('Disputes page, 50 rows with call and buyer (manager)', ITERATIONS, () =>
        gql(url, manager, disputePage, { first: 50 }),
      ),
    );
    results.push(
      await measure('Disputes page, 5 rows with call and buyer (manager)', ITERATIONS, () =>
        gql(url, manager, disputePage, { first: 5 }),
      ),
    );
    results.push(
      await measure('Disputes by PAYOUT DESC, 50 rows (manager)', ITERATIONS, () =>
        gql(url, manager, disputePage, {
          first: 50,
          orderBy: { field: 'PAYOUT', direction: 'DESC' },
        }),
      ),
    );
    results.push(
      await measure('Disputes search "5550" (caller ID substring, manager)', ITERATIONS, () =>
        gql(url, manager, disputePage, { first: 50, search: '5550' }),
      ),
    );

    const pg = new Pg({ connectionString: databaseUrl });
    await pg.connect();
    const { rows } = await pg.query(
      `SELECT c.id FROM calls c WHERE c.buyer_id = 'a0000000-0000-4000-8000-00000000000a' AND c.status = 'COMPLETED_WITH_CONVERSION'
         AND c.started_at > now() - interval '70 hours' AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.call_id = c.id) LIMIT $1`,
      [ITERATIONS + 1],
    );
    await pg.end();
    const create =
      'mutation($callId: ID!) { createDispute(input: { callId: $callId, reason: INVALID_CALLER, additionalInfo: "bench" }) { id status } }';
    if (rows.length < 2) throw new Error('no disputable calls left to bench createDispute');
    results.push(
      await measure(
        'createDispute (buyer, sequential)',
        Math.min(ITERATIONS, rows.length - 1),
        (i) => gql(url, buyer, create, { callId: rows[i].id }),
      ),
    );

    const rss = await new Promise((resolve) => {
      fs.readFile(`/proc/${api.child.pid}/status`, 'utf8', (err, text) =>
        resolve(err ? null : Number(/VmRSS:\s+(\d+)/.exec(text)?.[1]) / 1024),
      );
    });

    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    const ratio = (a, b) => (byName[a].p50 / byName[b].p50).toFixed(2);
    const lines = [
      `Seeded ${CALLS.toLocaleString('en-US')} calls and ${DISPUTES.toLocaleString('en-US')} disputes in ${(seeded / 1000).toFixed(1)} s; ${ITERATIONS} iterations per row after one warm-up.`,
      '',
      '| operation | n | p50 ms | p95 ms | max ms | SQL statements |',
      '|---|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.name} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.statements} |`,
      ),
      '',
      `Ratios (p50): Call Log 50/5 rows = ${ratio('Call Log, 50 calls (buyer)', 'Call Log, 5 calls (buyer)')}; ` +
        `Disputes 50/5 rows = ${ratio('Disputes page, 50 rows with call and buyer (manager)', 'Disputes page, 5 rows with call and buyer (manager)')}. ` +
        `SQL statements do not grow with the page size (DataLoaders).`,
      `API process resident memory after the run: ${rss ? rss.toFixed(0) + ' MiB' : 'n/a'}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    api.child.kill('SIGTERM');
    await new Promise((r) => api.child.once('exit', r));
    services.child.kill('SIGTERM');
    await new Promise((r) => services.child.once('exit', r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
