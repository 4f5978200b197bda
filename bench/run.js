// `npm run bench`: first the latency and SQL-statement table of single sequential requests
// (SQL_STATS on); then the API side by side with a hand-written twin (bench/twin-server.js:
// node:http and pg) on the same seeded database, in production mode. Both must answer
// byte-identical JSON for each page; then a separate load process (autocannon) loads each server
// in turn at the same connection count, alternating which goes first, for several rounds; the
// ratio of the medians is the figure. Each page is measured as the benchmark's frontend asks for
// it (narrow) and showing every column of the table settings (wide, bench/pages.js); then, the API
// alone, each page showing a random subset of its columns (drawn per run from --seed, printed)
// next to the narrow page, CPU per request side by side. createDispute likewise, against a
// hand-written transaction doing the same writes. With --profile (no latency table, one round,
// API only) the API runs under `node --cpu-prof` and the CPU profile is summarised per page.
// Bounded in count and time; loopback only.
// Usage: npm run bench [-- --quick | --profile] [--calls 50000 --disputes 10000 --seconds 12
//   --rounds 3 --random-rounds 3 --connections 32 --write-connections 16 --iterations 200
//   --no-latency --seed N]
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client: Pg } = require('pg');
const { record } = require('./figures');
const { summariseProfile, profileLines } = require('./profile-summary');
const { seed, seedWriterCalls, writerCallId } = require('./seed');
const {
  PAGES,
  WIDE_PAGES,
  BUYER,
  MANAGER,
  WRITER,
  CALL_LOG,
  CREATE_DISPUTE,
  randomPages,
  seededRandom,
} = require('./pages');
const {
  SECRET,
  flag,
  arg,
  log,
  pct,
  forkReady,
  stop,
  startServices,
  startApi,
  cpuMs,
  rssMiB,
  loadProcess,
  tokensFor,
  printAndRethrow,
  runMain,
  machineLine,
  post,
  firstDifference,
  checkSame,
  summaryOf,
} = require('./support');

const QUICK = flag('quick');
const PROFILE = flag('profile');
const CALLS = arg('calls', 50_000);
const DISPUTES = arg('disputes', 10_000);
const SECONDS = arg('seconds', QUICK ? 3 : 12);
const WARMUP_SECONDS = arg('warmup', QUICK ? 1 : 3);
const ROUNDS = arg('rounds', PROFILE ? 1 : QUICK ? 2 : 3);
const CONNECTIONS = arg('connections', 32);
const WRITE_CONNECTIONS = arg('write-connections', 16);
const ITERATIONS = arg('iterations', QUICK ? 20 : 200);
const LATENCY = !flag('no-latency') && !PROFILE;
/** Rounds of the random pages (each next to its narrow page): one in the quick mode. */
const RANDOM_ROUNDS = arg('random-rounds', QUICK ? 1 : ROUNDS);
/** The random columns' seed: the same seed draws the same pages. */
const SEED = arg('seed', Date.now() % 2_147_483_647);
/** Pages timed against the twin: as the frontend asks for them, and with every column. */
const TWINNED = [...PAGES, ...WIDE_PAGES];
/** Fresh disputable calls per server: more than either can dispute in the time it gets. */
const WRITES_PER_SERVER = arg('writes-per-server', 1500 * (ROUNDS * SECONDS + WARMUP_SECONDS));

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

// ------------------------------------------------------------------ checks

/** createDispute answers differ only in the new id and its creation time. */
async function checkSameCreate(servers, token, callIds) {
  const shape = (text) =>
    text
      .replace(/"id":"[0-9a-f-]{36}"/, '"id":"…"')
      .replace(/"createdAt":"[^"]+"/, '"createdAt":"…"');
  const body = (callId) =>
    JSON.stringify({ query: CREATE_DISPUTE, variables: { callId, note: 'bench' } });
  const a = await post(servers.api.url, token, body(callIds.api));
  const t = await post(servers.twin.url, token, body(callIds.twin));
  if (!a.text.startsWith('{"data":{"createDispute":{'))
    throw new Error(`the API did not create a dispute: ${a.text.slice(0, 500)}`);
  if (shape(a.text) !== shape(t.text))
    throw new Error(
      `createDispute answers differ: ${firstDifference(shape(a.text), shape(t.text))}`,
    );
}

/** Every write the twin does, the API did too: per dispute one CREATED event and one notification per manager. */
async function checkWrites(pg) {
  const { rows } = await pg.query(
    `SELECT d.additional_info AS note, count(DISTINCT d.id)::int AS disputes,
            count(DISTINCT e.id)::int AS events, count(DISTINCT n.id)::int AS notifications
       FROM disputes d
       LEFT JOIN dispute_events e ON e.dispute_id = d.id
       LEFT JOIN notifications n ON n.dispute_id = d.id
      WHERE d.created_by = $1
      GROUP BY d.additional_info ORDER BY 1`,
    [WRITER],
  );
  return rows;
}

// ------------------------------------------------------------------ latency table (SQL_STATS on)

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

async function latencyTable(url, databaseUrl, tokens) {
  const { buyer, manager } = tokens;
  const callPage = `query($first: Int) { calls(first: $first) { nodes { id startedAt callerId buyer { name } campaign { name }
    payout { amount currency } status disputability { allowed blockedBy windowEndsAt } disputes { id status } } pageInfo { endCursor } } }`;
  const disputePage = `query($first: Int, $search: String, $orderBy: DisputeOrder) { disputes(first: $first, search: $search, orderBy: $orderBy) {
    nodes { id status reason createdAt call { id callerId startedAt payout { amount } campaign { name } } buyer { name } createdBy { name } decision { outcome } }
    totalCount pageInfo { endCursor } } }`;
  const results = [];
  const add = async (name, run) => results.push(await measure(name, ITERATIONS, run));
  await add('Call Log, 50 calls (buyer)', () => gql(url, buyer, callPage, { first: 50 }));
  await add('Call Log, 5 calls (buyer)', () => gql(url, buyer, callPage, { first: 5 }));
  await add('Disputes page, 50 rows with call and buyer (manager)', () =>
    gql(url, manager, disputePage, { first: 50 }),
  );
  await add('Disputes page, 5 rows with call and buyer (manager)', () =>
    gql(url, manager, disputePage, { first: 5 }),
  );
  await add('Disputes by PAYOUT DESC, 50 rows (manager)', () =>
    gql(url, manager, disputePage, { first: 50, orderBy: { field: 'PAYOUT', direction: 'DESC' } }),
  );
  await add('Disputes search "5550" (caller ID substring, manager)', () =>
    gql(url, manager, disputePage, { first: 50, search: '5550' }),
  );
  await add('Disputes search "12345" (five digits, manager)', () =>
    gql(url, manager, disputePage, { first: 50, search: '12345' }),
  );
  const pg = new Pg({ connectionString: databaseUrl });
  await pg.connect();
  const { rows } = await pg.query(
    `SELECT c.id FROM calls c WHERE c.buyer_id = 'a0000000-0000-4000-8000-00000000000a' AND c.status = 'COMPLETED_WITH_CONVERSION'
       AND c.started_at > now() - interval '70 hours' AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.call_id = c.id) LIMIT $1`,
    [ITERATIONS + 1],
  );
  await pg.end();
  if (rows.length < 2) throw new Error('no disputable calls left to bench createDispute');
  const create =
    'mutation($callId: ID!) { createDispute(input: { callId: $callId, reason: INVALID_CALLER, additionalInfo: "bench" }) { id status } }';
  results.push(
    await measure('createDispute (buyer, sequential)', Math.min(ITERATIONS, rows.length - 1), (i) =>
      gql(url, buyer, create, { callId: rows[i].id }),
    ),
  );
  return results;
}

// ------------------------------------------------------------------ the run

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-bench-'));
  fs.chmodSync(tmp, 0o755);
  const profileDir = PROFILE ? path.join(tmp, 'profile') : undefined;
  const procs = {};
  const out = { loadBefore: os.loadavg() };
  try {
    procs.services = await startServices(tmp);
    const { databaseUrl } = procs.services.info;
    const tokens = await tokensFor([BUYER, MANAGER, WRITER]);
    // The first API process applies the migrations; then the seed.
    procs.api = await startApi(procs.services.info, { SQL_STATS: String(LATENCY) });
    const pg = new Pg({ connectionString: databaseUrl });
    await pg.connect();
    out.seededMs = await seed(pg, { calls: CALLS, disputes: DISPUTES });
    log(`seeded in ${(out.seededMs / 1000).toFixed(1)} s`);

    // 1. Single sequential requests with SQL_STATS on, on the seed as it is: latency and SQL
    // statements per operation. Its creates leave up to ITERATIONS more PENDING disputes of Ann.
    if (LATENCY) {
      out.latency = await latencyTable(procs.api.info.url, databaseUrl, {
        buyer: tokens[BUYER],
        manager: tokens[MANAGER],
      });
      out.latencyRssMiB = rssMiB(procs.api.child.pid);
      log('latency table done');
    }
    await stop(procs.api);

    // 2. The API as measured under load (SQL_STATS off), and its twin.
    procs.api = await startApi(
      procs.services.info,
      {},
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    procs.twin = await forkReady(path.join(__dirname, 'twin-server.js'), [], {
      DATABASE_URL: databaseUrl,
      JWT_SECRET: SECRET,
    });
    const servers = {
      api: { name: 'API', url: procs.api.info.url, pid: procs.api.child.pid },
      twin: { name: 'twin', url: procs.twin.info.url, pid: procs.twin.child.pid },
    };

    // 3. Same bytes, or no timing at all. Beyond the three pages: the Call Log across the end of
    // the Dispute Window (allowed, WINDOW_EXPIRED, STATUS_NOT_DISPUTABLE side by side).
    for (const page of TWINNED) await checkSame(servers, tokens[page.user], page.body, page.name);
    const windowEdge = Buffer.from(
      JSON.stringify([
        'calls',
        new Date(Date.now() - 71.5 * 3_600_000).toISOString(),
        'ffffffff-ffff-4fff-bfff-ffffffffffff',
      ]),
    ).toString('base64url');
    const edgeBody = JSON.stringify({
      query: CALL_LOG,
      variables: { first: 100, after: windowEdge },
    });
    const edge = await checkSame(
      servers,
      tokens[BUYER],
      edgeBody,
      'the Call Log at the end of the window',
    );
    const verdicts = new Set(edge.match(/"blockedBy":(null|"[A-Z_]+")/g));
    log(
      `twin answers byte-identical data for ${TWINNED.length} pages (+ ${[...verdicts].join(', ')})`,
    );
    const random = randomPages(seededRandom(SEED));
    for (const page of random) {
      const a = await post(servers.api.url, tokens[page.user], page.body);
      if (!a.text.startsWith('{"data":{') || a.text.includes('"errors"'))
        throw new Error(`the API did not answer ${page.key} with data: ${a.text.slice(0, 500)}`);
      log(`${page.key} (seed ${SEED}): ${page.columns.join(', ')}`);
    }

    // 4. Reads under load: warm-up, then rounds alternating which server goes first.
    const loader = loadProcess();
    procs.load = { child: loader.child };
    const windows = {}; // page key → [[fromUs, toUs]] of the API's timed runs, for the profile
    const timed = async (server, page, seconds, job, record = true) => {
      const cpu0 = cpuMs(server.pid);
      const from = nowUs();
      const r = await loader.run({ url: server.url, seconds, ...job });
      const to = nowUs();
      r.cpuMsPerRequest = (cpuMs(server.pid) - cpu0) / r.requests;
      if (record && server === servers.api) (windows[page] ??= []).push([from, to]);
      return r;
    };
    const reads = Object.fromEntries(TWINNED.map((p) => [p.key, { api: [], twin: [] }]));
    const readJob = (page) => ({
      token: tokens[page.user],
      connections: CONNECTIONS,
      body: page.body,
    });
    for (const page of TWINNED)
      for (const s of [servers.api, servers.twin])
        await loader.run({ url: s.url, seconds: WARMUP_SECONDS, ...readJob(page) });
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of TWINNED) {
        const order = round % 2 === 0 ? ['api', 'twin'] : ['twin', 'api'];
        for (const side of order) {
          if (PROFILE && side === 'twin') continue;
          const r = await timed(servers[side], page.key, SECONDS, readJob(page));
          if (r.non2xx || r.errors)
            throw new Error(`${side} failed under load on ${page.name}: ${JSON.stringify(r)}`);
          reads[page.key][side].push(r);
          log(
            `round ${round + 1} ${page.key} ${side}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuMsPerRequest.toFixed(2)} ms CPU/req`,
          );
        }
      }
    }

    // 5. The API alone: each random page, then the same kind of page as the benchmark's frontend
    // asks for it, alternating which goes first; CPU per request side by side.
    const randoms = Object.fromEntries(random.map((p) => [p.key, { random: [], narrow: [] }]));
    const narrowOf = (page) => PAGES.find((p) => p.key === page.narrow);
    if (!PROFILE) {
      for (const page of random)
        await loader.run({ url: servers.api.url, seconds: WARMUP_SECONDS, ...readJob(page) });
      for (let round = 0; round < RANDOM_ROUNDS; round++) {
        for (const page of random) {
          const order = round % 2 === 0 ? ['random', 'narrow'] : ['narrow', 'random'];
          for (const which of order) {
            const job = readJob(which === 'random' ? page : narrowOf(page));
            const r = await timed(servers.api, page.key, SECONDS, job, false);
            if (r.non2xx || r.errors)
              throw new Error(`the API failed under load on ${page.key}: ${JSON.stringify(r)}`);
            randoms[page.key][which].push(r);
            log(
              `round ${round + 1} ${page.key} ${which}: ${r.rps.toFixed(0)} req/s, ${r.cpuMsPerRequest.toFixed(2)} ms CPU/req`,
            );
          }
        }
      }
    }
    out.random = { pages: random, runs: randoms };

    // 6. createDispute under load: each server its own slice of fresh calls, one per request.
    log(
      `seeded ${2 * WRITES_PER_SERVER + 2} fresh calls for createDispute in ${((await seedWriterCalls(pg, 2 * WRITES_PER_SERVER + 2)) / 1000).toFixed(1)} s`,
    );
    const slices = {
      api: { next: 1, end: WRITES_PER_SERVER },
      twin: { next: WRITES_PER_SERVER + 1, end: 2 * WRITES_PER_SERVER },
    };
    const takeOne = (side) => writerCallId(slices[side].next++);
    await checkSameCreate(servers, tokens[WRITER], { api: takeOne('api'), twin: takeOne('twin') });
    const writes = { api: [], twin: [] };
    const writeRun = async (side, seconds, record = true) => {
      const slice = slices[side];
      const callIds = [];
      for (let n = slice.next; n <= slice.end; n++) callIds.push(writerCallId(n));
      const r = await timed(
        servers[side],
        'createDispute',
        seconds,
        {
          token: tokens[WRITER],
          connections: WRITE_CONNECTIONS,
          query: CREATE_DISPUTE,
          note: `bench ${side}`,
          callIds,
        },
        record,
      );
      slice.next += r.sent;
      if (r.non2xx || r.errors || r.graphqlErrors)
        throw new Error(`${side} failed under createDispute load: ${JSON.stringify(r)}`);
      return r;
    };
    for (const side of ['api', 'twin']) await writeRun(side, WARMUP_SECONDS, false);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? ['api', 'twin'] : ['twin', 'api']) {
        if (PROFILE && side === 'twin') continue;
        const r = await writeRun(side, SECONDS);
        writes[side].push(r);
        log(
          `round ${round + 1} createDispute ${side}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
        );
      }
    }
    out.writeRows = await checkWrites(pg);
    const writerLog = JSON.stringify({ query: CALL_LOG, variables: { first: 100 } });
    const pending = await checkSame(
      servers,
      tokens[WRITER],
      writerLog,
      "the writer's Call Log after the writes",
    );
    for (const v of pending.match(/"blockedBy":(null|"[A-Z_]+")/g)) verdicts.add(v);
    out.verdictsChecked = [...verdicts].map((v) => v.slice(12).replace(/"/g, '')).join(', ');
    await pg.end();
    out.apiRssMiB = rssMiB(servers.api.pid);
    out.twinRssMiB = rssMiB(servers.twin.pid);
    await stop(procs.load);
    await stop(procs.twin);
    await stop(procs.api); // writes the CPU profile, if any

    if (PROFILE) out.profile = summariseProfile(profileDir, windows);

    out.loadAfter = os.loadavg();
    out.totalS = (Date.now() - started) / 1000;
    if (!PROFILE) recordFigures({ reads, writes, ...out });
    process.stdout.write(`${report({ reads, writes, ...out })}\n`);
  } catch (err) {
    printAndRethrow(err);
  } finally {
    for (const p of ['load', 'twin', 'api', 'services'])
      await stop(procs[p]).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ report

/** The run's figures for bench/all.js's table of targets (bench/figures.js). */
function recordFigures(o) {
  for (const page of TWINNED) {
    const a = summaryOf(o.reads[page.key].api);
    const t = summaryOf(o.reads[page.key].twin);
    record(`page:${page.key}`, a.rps / t.rps, page.name);
  }
  for (const page of o.random.pages) {
    const runs = o.random.runs[page.key];
    if (!runs.random.length) continue;
    const ratio = summaryOf(runs.random).cpu / summaryOf(runs.narrow).cpu;
    record(`random:${page.key}`, ratio, `${page.key}, seed ${SEED}: ${page.columns.join(', ')}`);
  }
  const w = summaryOf(o.writes.api).rps / summaryOf(o.writes.twin).rps;
  record('createDispute', w, `${WRITE_CONNECTIONS} connections, a fresh call each`);
}

function report(o) {
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const f1 = (n) => n.toFixed(1);
  const lines = [
    `Command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` — ${ROUNDS} round(s) of ${SECONDS} s per server and operation after ${WARMUP_SECONDS} s of warm-up,`,
    `${CONNECTIONS} connections for reads, ${WRITE_CONNECTIONS} for createDispute; production mode, LOG_LEVEL=warn, SQL_STATS off.`,
    machineLine(o.loadBefore, o.loadAfter),
    `Seeded ${int(CALLS)} calls and ${int(DISPUTES)} disputes in ${(o.seededMs / 1000).toFixed(1)} s. Whole run ${(o.totalS / 60).toFixed(1)} min.`,
    `Byte-identical \`data\` checked before timing for every page (verdicts seen: ${o.verdictsChecked}).`,
    '',
    '| page (50 rows) | API req/s | twin req/s | ratio | API p50 / p99 ms | twin p50 / p99 ms | API / twin CPU ms per request |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const row = (name, a, t) =>
    `| ${name} | ${int(a.rps)} | ${t ? int(t.rps) : '–'} | ${t ? (a.rps / t.rps).toFixed(2) : '–'} | ${a.p50} / ${a.p99} | ${t ? `${t.p50} / ${t.p99}` : '–'} | ${f1(a.cpu)} / ${t ? f1(t.cpu) : '–'} |`;
  for (const page of TWINNED) {
    const a = summaryOf(o.reads[page.key].api);
    const t = summaryOf(o.reads[page.key].twin);
    lines.push(row(page.name, a, t));
  }
  const wa = summaryOf(o.writes.api);
  const wt = summaryOf(o.writes.twin);
  lines.push(row(`createDispute (${WRITE_CONNECTIONS} connections, a fresh call each)`, wa, wt));
  lines.push('');
  lines.push(
    `Figures are medians of the rounds; ratio = API req/s ÷ twin req/s. CPU per request is the server process's own (user + system), PostgreSQL not included.`,
  );
  lines.push(
    `Writes checked in the database: ${o.writeRows.map((r) => `${r.note}: ${int(r.disputes)} disputes, ${int(r.events)} events, ${int(r.notifications)} notifications`).join('; ')}.`,
  );
  lines.push(
    `Resident memory after the load: API ${o.apiRssMiB.toFixed(0)} MiB, twin ${o.twinRssMiB.toFixed(0)} MiB.`,
  );
  if (o.random.pages.length && o.random.runs[o.random.pages[0].key].random.length) {
    lines.push(
      '',
      `Random columns (seed ${SEED}; \`--seed ${SEED}\` draws them again), the API alone, each next to the narrow page of its kind:`,
      '',
      '| page (50 rows) | columns drawn | API CPU ms/req random / narrow | ratio | API req/s random / narrow |',
      '|---|---|---:|---:|---:|',
    );
    for (const page of o.random.pages) {
      const r = summaryOf(o.random.runs[page.key].random);
      const n = summaryOf(o.random.runs[page.key].narrow);
      lines.push(
        `| ${page.key} | ${page.columns.join(', ')} | ${r.cpu.toFixed(2)} / ${n.cpu.toFixed(2)} | ${(r.cpu / n.cpu).toFixed(2)} | ${int(r.rps)} / ${int(n.rps)} |`,
      );
    }
  }
  lines.push(
    '',
    'Every round:',
    '',
    '| operation | server | round | req/s | p50 ms | p99 ms | CPU ms/req |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  const every = [...TWINNED.map((p) => [p.key, o.reads[p.key]]), ['createDispute', o.writes]];
  for (const [key, sides] of every)
    for (const side of ['api', 'twin'])
      sides[side].forEach((r, i) =>
        lines.push(
          `| ${key} | ${side} | ${i + 1} | ${int(r.rps)} | ${r.p50} | ${r.p99} | ${f1(r.cpuMsPerRequest)} |`,
        ),
      );

  if (o.profile) lines.push('', ...profileLines(o.profile));

  if (o.latency) {
    lines.push(
      '',
      `Single sequential requests (SQL_STATS on), ${ITERATIONS} iterations per row after one warm-up:`,
      '',
      '| operation | n | p50 ms | p95 ms | max ms | SQL statements |',
      '|---|---:|---:|---:|---:|---:|',
      ...o.latency.map(
        (r) =>
          `| ${r.name} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.statements} |`,
      ),
      '',
      `API process resident memory after these: ${o.latencyRssMiB.toFixed(0)} MiB.`,
    );
  }
  return lines.join('\n');
}

runMain(main);
