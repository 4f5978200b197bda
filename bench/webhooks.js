// `npm run bench:webhooks` (and the end of `npm run bench`): webhook delivery throughput to a
// local receiver at 1, 10 and 100 endpoints. Disputes are created through the API
// (createDispute, so each event is written by the transition with its outbox rows); one API
// process delivers them (its worker, WEBHOOK_CONCURRENCY as configured) to a receiver on
// loopback that answers 200 at once. Reported per size: events per second fully delivered (to
// every endpoint), deliveries per second, and p50/p99 from the event's commit (its createdAt,
// stamped in the committing transaction) to its receipt.
// Endpoints are written straight to the database: 100 is past the per-account limit of 20.
// Usage: npm run bench:webhooks [-- --quick] [--events 1000] [--concurrency 32] [--only 100]
const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Client: Pg } = require('pg');
const {
  flag,
  arg,
  log,
  pct,
  stop,
  startServices,
  startApi,
  tokensFor,
  printAndRethrow,
  runMain,
} = require('./support');

const QUICK = flag('quick');
const EVENTS = arg('events', QUICK ? 200 : 1000);
const CONCURRENCY = arg('concurrency', 32);
/** Events per size: the same work in deliveries would take 100× longer at 100 endpoints. */
const SIZES = [
  { endpoints: 1, events: EVENTS },
  { endpoints: 10, events: Math.max(20, EVENTS / 2) },
  { endpoints: 100, events: Math.max(10, EVENTS / 10) },
].filter((s) => !arg('only', 0) || s.endpoints === arg('only', 0));
const WRITERS = 8;

/** Answers 200 at once; notes when each (route, event) arrived. */
function receiver() {
  const arrivals = [];
  let onArrival = () => undefined;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(200).end();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      arrivals.push({ route: req.url, id: event.id, createdAt: Date.parse(event.createdAt), at });
      onArrival();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        arrivals,
        until: (n) =>
          new Promise((done) => {
            onArrival = () => arrivals.length >= n && done();
            onArrival();
          }),
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-bench-webhooks-'));
  fs.chmodSync(tmp, 0o755);
  const procs = {};
  const rx = await receiver();
  const results = [];
  try {
    procs.services = await startServices(tmp);
    const { databaseUrl } = procs.services.info;
    procs.api = await startApi(procs.services.info, {
      NODE_ENV: 'test',
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    });
    const url = procs.api.info.url;
    const pg = new Pg({ connectionString: databaseUrl });
    await pg.connect();
    const account = randomUUID();
    const campaign = randomUUID();
    const buyer = randomUUID();
    await pg.query(
      `INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES ($1, 'Bench', 72, 'USD')`,
      [account],
    );
    await pg.query(`INSERT INTO campaigns (id, name) VALUES ($1, 'Bench')`, [campaign]);
    await pg.query(
      `INSERT INTO users (id, name, email, role, account_id, permissions)
       VALUES ($1, 'Bench Buyer', 'bench@bench.test', 'BUYER', $2, '{DISPUTE_CALLS}')`,
      [buyer, account],
    );
    const { [buyer]: token } = await tokensFor([buyer]);

    for (const size of SIZES) {
      await pg.query(`UPDATE webhook_endpoints SET deleted_at = now() WHERE deleted_at IS NULL`);
      for (let i = 0; i < size.endpoints; i++) {
        await pg.query(
          `INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_by)
           VALUES ($1, $2, $3, '{dispute.created}', 'whsec_bench', $4)`,
          [randomUUID(), account, `${rx.url}/s${size.endpoints}/${i}`, buyer],
        );
      }
      const { rows: calls } = await pg.query(
        `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination,
           original_payout_minor, payout_minor, duration_seconds, status)
         SELECT gen_random_uuid(), $1, $2, now() - interval '1 hour', '+1555' || n, '+18005550100',
           2500, 2500, 95, 'COMPLETED_WITH_CONVERSION' FROM generate_series(1, $3) n
         RETURNING id`,
        [account, campaign, size.events],
      );
      rx.arrivals.length = 0;
      const expected = size.events * size.endpoints;
      const all = rx.until(expected);
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (next < calls.length) {
            const callId = calls[next++].id;
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({
                query: `mutation($c: ID!) { createDispute(input: { callId: $c, reason: INVALID_CALLER }) { id } }`,
                variables: { c: callId },
              }),
            });
            const body = await res.json();
            if (body.errors) throw new Error(JSON.stringify(body.errors));
          }
        }),
      );
      const written = Date.now();
      await all;
      const done = Date.now();
      const latencies = rx.arrivals.map((a) => a.at - a.createdAt);
      const seconds = (done - started) / 1000;
      const r = {
        endpoints: size.endpoints,
        events: size.events,
        deliveries: expected,
        writeSeconds: (written - started) / 1000,
        seconds,
        eventsPerSecond: size.events / seconds,
        deliveriesPerSecond: expected / seconds,
        p50Ms: pct(latencies, 50),
        p99Ms: pct(latencies, 99),
        duplicates: expected - new Set(rx.arrivals.map((a) => `${a.route} ${a.id}`)).size,
      };
      results.push(r);
      log(
        `${r.endpoints} endpoint(s): ${r.events} events, ${r.deliveries} deliveries in ${r.seconds.toFixed(2)} s ` +
          `(writes took ${r.writeSeconds.toFixed(2)} s): ${r.eventsPerSecond.toFixed(0)} events/s, ` +
          `${r.deliveriesPerSecond.toFixed(0)} deliveries/s, commit→receipt p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
      );
    }
    await pg.end();
  } catch (err) {
    printAndRethrow(err);
  } finally {
    await stop(procs.api);
    await stop(procs.services);
    await rx.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const lines = [
    `Webhook delivery (WEBHOOK_CONCURRENCY=${CONCURRENCY}, one API process, receiver on loopback answering 200; ${os.cpus().length} CPUs, load before ${os.loadavg()[0].toFixed(2)})`,
    '',
    '| endpoints | events | deliveries | events/s | deliveries/s | commit→receipt p50 | p99 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.endpoints} | ${r.events} | ${r.deliveries} | ${r.eventsPerSecond.toFixed(0)} | ${r.deliveriesPerSecond.toFixed(0)} | ${r.p50Ms} ms | ${r.p99Ms} ms |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runMain(main);
