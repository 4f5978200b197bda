// `npm run bench:scale`: the three pages of `npm run bench` (bench/pages.js) on a small and a
// large database side by side in one PostgreSQL cluster (by default 50,000 calls / 10,000
// disputes and 1,000,000 / 200,000, both seeded with COPY by bench/scale-seed.js), one API
// process per database, in production mode. Measured in the same run, interleaved so the
// machine's other load falls on both alike:
//   1. single sequential requests: page 1 on the small database, page 1 on the large one, and the
//      page `--depth` pages deep on the large one (its cursor found by walking the pages), p50,
//      p95 and the API's CPU per request;
//   2. under load (autocannon from bench/load-worker.js, `--connections`), small and large
//      alternating, `--rounds` rounds;
//   3. with --explain, the plans PostgreSQL chose for every statement of page 1 and of the deep
//      page on the large database (auto_explain, ANALYZE and BUFFERS), written to a file;
//   4. the manager's search for five digits next to the unfiltered first page (bench/search.js's
//      pairs), on each database;
//   5. disputeStats over 90 days on the large database, for each grouping, as the manager (every
//      account) and as the buyer (its own), sequential p50 / p95, with the statement's plan
//      (EXPLAIN ANALYZE, BUFFERS) and its execution time in PostgreSQL.
// --quick: fewer requests, and neither step 2 nor step 5.
// Usage: npm run bench:scale [-- --quick] [--calls 1000000 --disputes 200000 --base-calls 50000
//   --base-disputes 10000 --depth 1000 --iterations 100 --seconds 8 --rounds 3 --connections 32
//   --explain --stats-only --stats-iterations 30]
// --stats-only seeds the large database only and runs step 4 alone.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { URL } = require('node:url');
const { Client: Pg } = require('pg');
const { record } = require('./figures');
const { seedScale } = require('./scale-seed');
const { searchPairs } = require('./search');
const { PAGES, BUYER, BUYER_ACCOUNT, MANAGER } = require('./pages');
const {
  ROOT,
  flag,
  arg,
  log,
  pct,
  stamp,
  stop,
  startApi,
  cpuMs,
  loadProcess,
  tokensFor,
  printAndRethrow,
  runMain,
  machineLine,
} = require('./support');
const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist/src/dev/embedded-postgres.js'));
const { startEmbeddedStore } = require(path.join(ROOT, 'dist/src/dev/embedded-object-store.js'));

const QUICK = flag('quick');
const EXPLAIN = flag('explain');
const STATS_ONLY = flag('stats-only');
const SIZES = {
  small: { calls: arg('base-calls', 50_000), disputes: arg('base-disputes', 10_000) },
  large: { calls: arg('calls', 1_000_000), disputes: arg('disputes', 200_000) },
};
const DEPTH = arg('depth', 1000);
const ITERATIONS = arg('iterations', QUICK ? 40 : 100);
const SECONDS = arg('seconds', QUICK ? 4 : 8);
const ROUNDS = arg('rounds', QUICK ? 0 : 3);
const SEARCH_TERM = '12345';
const SEARCH_ITERATIONS = arg('search-iterations', QUICK ? 40 : 150);
const CONNECTIONS = arg('connections', 32);
const PAGE_SIZE = 50;
/** Sequential requests per case before timing, interleaved like the timed ones (JIT, caches). */
const WARMUP = QUICK ? 10 : 30;
const STATS_ITERATIONS = arg('stats-iterations', QUICK ? 10 : 30);
const STATS_DAYS = 90;
const STATS_GROUPS = ['CAMPAIGN', 'BUYER', 'REASON', 'DAY'];
const DISPUTE_STATS = `query DisputeStats($groupBy: DisputeStatsGroup!, $from: DateTime!, $to: DateTime!) {
  disputeStats(groupBy: $groupBy, from: $from, to: $to) {
    key label calls disputedCalls disputeRate pending accepted acceptedPartial rejected withdrawn
    acceptanceRate credited { amount currency }
  }
}`;

const median = (xs) => pct(xs, 50);

/** The page's operation with an `$after` cursor; the selection is bench/pages.js's, unchanged. */
function withAfter(body) {
  const { query, variables } = JSON.parse(body);
  const q = query.includes('$after')
    ? query
    : query
        .replace('($first: Int)', '($first: Int, $after: String)')
        .replace(/(disputes|calls)\(first: \$first/, '$1(first: $first, after: $after');
  return (after) => JSON.stringify({ query: q, variables: { ...variables, after } });
}

// ------------------------------------------------------------------ requests

async function post(url, token, body) {
  const t = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.status !== 200 || !text.startsWith('{"data":{') || text.includes('"errors"'))
    throw new Error(`no data: ${res.status} ${text.slice(0, 400)}`);
  return { ms, json: JSON.parse(text) };
}

const connectionOf = (json) => json.data.disputes ?? json.data.calls;

/** Walks `depth - 1` pages and returns the cursor of the page `depth` deep, with the walk's time. */
async function deepCursor(server, token, bodyAfter, depth) {
  let after = null;
  const t = Date.now();
  for (let n = 1; n < depth; n++) {
    const { json } = await post(server.url, token, bodyAfter(after));
    const c = connectionOf(json);
    if (!c.pageInfo.hasNextPage) throw new Error(`only ${n} pages of ${PAGE_SIZE}`);
    after = c.pageInfo.endCursor;
  }
  return { after, walkMs: Date.now() - t };
}

/**
 * Sequential requests, interleaved round-robin over the cases so each sees the same machine.
 * CPU per request is the API process's CPU over the request, summed per case (10 ms ticks: the
 * sum over many requests is what counts).
 */
async function sequential(cases, n) {
  for (let i = 0; i < WARMUP; i++) for (const c of cases) await post(c.server.url, c.token, c.body);
  const times = cases.map(() => []);
  const cpu = cases.map(() => 0);
  for (let i = 0; i < n; i++) {
    for (const [k, c] of cases.entries()) {
      const c0 = cpuMs(c.server.pid);
      const { ms, json } = await post(c.server.url, c.token, c.body);
      cpu[k] += cpuMs(c.server.pid) - c0;
      if (connectionOf(json).nodes.length !== PAGE_SIZE) throw new Error(`short page: ${c.name}`);
      times[k].push(ms);
    }
  }
  return cases.map((c, k) => ({
    name: c.name,
    p50: pct(times[k], 50),
    p95: pct(times[k], 95),
    cpu: cpu[k] / n,
  }));
}

// ------------------------------------------------------------------ plans

/** auto_explain's entries in the server log: "duration: … ms  plan:" and the lines after it. */
function plansIn(lines) {
  const plans = [];
  let cur = null;
  for (const raw of lines.join('\n').split('\n')) {
    if (/duration: [\d.]+ ms\s+plan:/.test(raw)) {
      cur = { head: raw.replace(/^.*?duration:/, 'duration:'), lines: [] };
      plans.push(cur);
    } else if (cur && /^\s/.test(raw)) cur.lines.push(raw);
    else cur = null;
  }
  return plans;
}

async function explainPages(db, pgLog, s3, servers, cases) {
  const admin = new Pg({ connectionString: db.large });
  await admin.connect();
  const dbName = new URL(db.large).pathname.slice(1);
  for (const setting of [
    `session_preload_libraries = 'auto_explain'`,
    `auto_explain.log_min_duration = 0`,
    `auto_explain.log_analyze = on`,
    `auto_explain.log_buffers = on`,
  ])
    await admin.query(`ALTER DATABASE "${dbName}" SET ${setting}`);
  // New sessions load auto_explain: a fresh API process for the large database.
  await stop(servers.large.proc);
  const proc = await startApi({ databaseUrl: db.large, s3 });
  const server = { url: proc.info.url, pid: proc.child.pid, proc };
  const out = [];
  for (const c of cases.filter((x) => x.size === 'large')) {
    await post(server.url, c.token, c.body); // warm caches and connections
    pgLog.length = 0;
    await post(server.url, c.token, c.body);
    await sleep(300); // let the log lines arrive
    out.push({ name: c.name, plans: plansIn(pgLog) });
  }
  await admin.query(`ALTER DATABASE "${dbName}" RESET ALL`);
  await admin.end();
  await stop(proc);
  return out;
}

// ------------------------------------------------------------------ disputeStats

/**
 * disputeStats over STATS_DAYS full UTC days ending where the newest disputed call starts (the
 * seed disputes the oldest converted calls, so this window is the densest: 2 calls in 5
 * disputed), per grouping, manager and buyer, sequential and interleaved; then each statement's
 * plan from PostgreSQL, EXPLAIN (ANALYZE, BUFFERS), with the parameters the API binds.
 */
async function statsRun(databaseUrl, server, tokens) {
  require('reflect-metadata'); // the module's Money helper comes with type-graphql's types
  const { disputeStatsStatement } = require(path.join(ROOT, 'dist/src/disputes/dispute-stats.js'));
  const pg = new Pg({ connectionString: databaseUrl });
  await pg.connect();
  const {
    rows: [{ to }],
  } = await pg.query(
    `SELECT date_trunc('day', max(call_started_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS to FROM disputes`,
  );
  const from = new Date(to.getTime() - STATS_DAYS * 86_400_000);
  const viewers = [
    { who: 'manager', user: MANAGER, reach: { kind: 'all' } },
    { who: 'buyer', user: BUYER, reach: { kind: 'account', accountId: BUYER_ACCOUNT } },
  ];
  const cases = viewers.flatMap((v) =>
    STATS_GROUPS.map((groupBy) => ({
      ...v,
      groupBy,
      body: JSON.stringify({
        query: DISPUTE_STATS,
        variables: { groupBy, from: from.toISOString(), to: to.toISOString() },
      }),
    })),
  );
  const times = cases.map(() => []);
  const rows = [];
  for (let i = 0; i < WARMUP / 10 + STATS_ITERATIONS; i++) {
    for (const [k, c] of cases.entries()) {
      const { ms, json } = await post(server.url, tokens[c.user], c.body);
      rows[k] = json.data.disputeStats;
      if (i >= WARMUP / 10) times[k].push(ms);
    }
  }
  const out = [];
  const plans = [];
  for (const [k, c] of cases.entries()) {
    const { sql, params } = disputeStatsStatement(c.groupBy, c.reach, from, to);
    const { rows: plan } = await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    const lines = plan.map((r) => r['QUERY PLAN']);
    plans.push(`=== disputeStats ${c.groupBy}, ${c.who}\n${sql}\n\n${lines.join('\n')}`);
    const execution = Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1]);
    // REASON rows have no call count (calls have no reason).
    const calls = c.groupBy === 'REASON' ? null : rows[k].reduce((n, r) => n + r.calls, 0);
    const disputed = rows[k].reduce((n, r) => n + r.disputedCalls, 0);
    out.push({
      groupBy: c.groupBy,
      who: c.who,
      rows: rows[k].length,
      calls,
      disputed,
      p50: pct(times[k], 50),
      p95: pct(times[k], 95),
      execution,
    });
    log(
      `disputeStats ${c.groupBy} ${c.who}: ${rows[k].length} rows, p50 ${pct(times[k], 50).toFixed(1)} ms, PostgreSQL ${execution} ms`,
    );
  }
  await pg.end();
  const file = path.join(ROOT, 'bench', 'profiles', `stats-plans-${stamp()}.txt`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, plans.join('\n\n'));
  return { from, to, cases: out, plansFile: file };
}

// ------------------------------------------------------------------ the run

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-scale-'));
  fs.chmodSync(tmp, 0o755);
  const pgLog = [];
  const stops = [];
  const procs = [];
  const out = { loadBefore: os.loadavg(), seeds: {} };
  try {
    const pgDb = await startEmbeddedPostgres({
      directory: path.join(tmp, 'pg'),
      persistent: false,
      fast: true,
      onLog: (line) => pgLog.push(line),
    });
    stops.push(pgDb.stop);
    const store = await startEmbeddedStore({ directory: path.join(tmp, 's3') });
    stops.unshift(store.stop);
    const s3 = { endpoint: store.endpoint, accessKey: store.accessKey, secretKey: store.secretKey };
    const db = {};
    const admin = new Pg({ connectionString: pgDb.url });
    await admin.connect();
    const sizes = STATS_ONLY ? ['large'] : ['small', 'large'];
    for (const size of sizes) {
      await admin.query(`CREATE DATABASE scale_${size}`);
      const u = new URL(pgDb.url);
      u.pathname = `/scale_${size}`;
      db[size] = u.toString();
    }
    await admin.end();

    const servers = {};
    for (const size of sizes) {
      const proc = await startApi({ databaseUrl: db[size], s3 }); // applies the migrations
      procs.push(proc);
      servers[size] = { url: proc.info.url, pid: proc.child.pid, proc };
      const pg = new Pg({ connectionString: db[size] });
      await pg.connect();
      out.seeds[size] = await seedScale(pg, SIZES[size]);
      const {
        rows: [{ bytes }],
      } = await pg.query(`SELECT pg_database_size(current_database()) AS bytes`);
      out.seeds[size].mib = Number(bytes) / 2 ** 20;
      await pg.end();
      const s = out.seeds[size];
      log(
        `seeded ${size}: ${SIZES[size].calls} calls, ${SIZES[size].disputes} disputes in ${(s.total / 1000).toFixed(1)} s (COPY calls ${(s.calls / 1000).toFixed(1)} s, disputes ${(s.disputes / 1000).toFixed(1)} s, ${s.rebuilt.length} indexes ${(s.indexes / 1000).toFixed(1)} s, vacuum analyze ${(s.analyze / 1000).toFixed(1)} s), ${s.mib.toFixed(0)} MiB`,
      );
    }
    const tokens = await tokensFor([BUYER, MANAGER]);
    // disputeStats is its own figure (not one of `npm run bench`'s targets): not in --quick.
    if (!QUICK || STATS_ONLY) out.stats = await statsRun(db.large, servers.large, tokens);
    if (STATS_ONLY) {
      out.loadAfter = os.loadavg();
      out.totalS = (Date.now() - started) / 1000;
      process.stdout.write(`${report(out)}\n`);
      return;
    }

    // Page 1 on each database, and the page DEPTH pages deep on the large one.
    const cases = [];
    out.walks = [];
    for (const page of PAGES) {
      const token = tokens[page.user];
      const bodyAfter = withAfter(page.body);
      const deep = await deepCursor(servers.large, token, bodyAfter, DEPTH);
      out.walks.push({ key: page.key, ms: deep.walkMs });
      log(`${page.key}: walked ${DEPTH - 1} pages in ${(deep.walkMs / 1000).toFixed(1)} s`);
      cases.push(
        {
          page,
          size: 'small',
          name: `${page.key} page 1, small`,
          server: servers.small,
          token,
          body: bodyAfter(null),
        },
        {
          page,
          size: 'large',
          name: `${page.key} page 1, large`,
          server: servers.large,
          token,
          body: bodyAfter(null),
        },
        {
          page,
          size: 'large',
          name: `${page.key} page ${DEPTH}, large`,
          server: servers.large,
          token,
          body: bodyAfter(deep.after),
        },
      );
    }

    // Both API processes equally warm (JIT, connections, caches) before anything is timed: the
    // walk above warmed only the large one.
    const loader = loadProcess();
    procs.push({ child: loader.child });
    for (const page of PAGES)
      for (const size of ['small', 'large'])
        await loader.run({
          url: servers[size].url,
          token: tokens[page.user],
          connections: 4,
          body: page.body,
          seconds: QUICK ? 1 : 3,
        });

    out.sequential = [];
    for (const page of PAGES) {
      const rows = await sequential(
        cases.filter((c) => c.page === page),
        ITERATIONS,
      );
      out.sequential.push({ page, rows });
      log(
        rows
          .map((r) => `${r.name}: p50 ${r.p50.toFixed(1)} ms, ${r.cpu.toFixed(1)} ms CPU`)
          .join('; '),
      );
    }

    // Under load: page 1, small and large alternating.
    out.load = PAGES.map((page) => ({ page, small: [], large: [] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, page] of PAGES.entries()) {
        const order = round % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
        for (const size of order) {
          const server = servers[size];
          const job = {
            url: server.url,
            token: tokens[page.user],
            connections: CONNECTIONS,
            body: page.body,
          };
          if (round === 0) await loader.run({ ...job, seconds: 1 });
          const c0 = cpuMs(server.pid);
          const r = await loader.run({ ...job, seconds: SECONDS });
          if (r.non2xx || r.errors)
            throw new Error(`${size} failed under load: ${JSON.stringify(r)}`);
          r.cpu = (cpuMs(server.pid) - c0) / r.requests;
          out.load[i][size].push(r);
          log(
            `round ${round + 1} ${page.key} ${size}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpu.toFixed(2)} ms CPU/req`,
          );
        }
      }
    }
    await stop(procs.pop());

    // The manager's search next to the unfiltered first page, on each database.
    out.search = [];
    for (const size of ['small', 'large']) {
      const pairs = await searchPairs(
        servers[size].url,
        tokens[MANAGER],
        SEARCH_TERM,
        SEARCH_ITERATIONS,
      );
      const r = { size, ...pairs, s50: pct(pairs.search, 50), l50: pct(pairs.list, 50) };
      out.search.push(r);
      log(
        `search "${SEARCH_TERM}" ${size}: p50 ${r.s50.toFixed(2)} ms, list p50 ${r.l50.toFixed(2)} ms`,
      );
    }

    if (EXPLAIN) {
      const plans = await explainPages(db, pgLog, s3, servers, cases);
      out.plansFile = path.join(ROOT, 'bench', 'profiles', `scale-plans-${stamp()}.txt`);
      fs.mkdirSync(path.dirname(out.plansFile), { recursive: true });
      fs.writeFileSync(
        out.plansFile,
        plans
          .map(
            (p) =>
              `=== ${p.name}\n${p.plans.map((x) => `${x.head}\n${x.lines.join('\n')}`).join('\n\n')}`,
          )
          .join('\n\n'),
      );
    }
    out.loadAfter = os.loadavg();
    out.totalS = (Date.now() - started) / 1000;
    recordFigures(out);
    process.stdout.write(`${report(out)}\n`);
  } catch (err) {
    printAndRethrow(err);
  } finally {
    for (const p of procs.reverse()) await stop(p).catch(() => undefined);
    for (const s of stops) await s().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ report

/** The run's figures for bench/all.js's table of targets (bench/figures.js). */
function recordFigures(o) {
  const calls = (size) => SIZES[size].calls.toLocaleString('en-US');
  for (const { page, rows } of o.sequential) {
    const [, large, deep] = rows;
    record(`deep:${page.key}`, deep.p50 / large.p50, `${page.name}, ${calls('large')} calls`);
  }
  for (const r of o.search)
    record(
      `search:${SIZES[r.size].calls}`,
      r.s50 / r.l50,
      `"${SEARCH_TERM}", ${calls(r.size)} calls (bench/scale-seed.js)`,
    );
}

function report(o) {
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const f1 = (n) => n.toFixed(1);
  const lines = [
    `Command: \`npm run bench:scale${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`; whole run ${(o.totalS / 60).toFixed(1)} min.`,
    machineLine(o.loadBefore, o.loadAfter),
    '',
    '| database | calls | disputes | seeded in | COPY calls | COPY disputes | indexes rebuilt | VACUUM ANALYZE | size |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...Object.keys(o.seeds).map((size) => {
      const s = o.seeds[size];
      return `| ${size} | ${int(SIZES[size].calls)} | ${int(SIZES[size].disputes)} | ${f1(s.total / 1000)} s | ${f1(s.calls / 1000)} s | ${f1(s.disputes / 1000)} s | ${s.rebuilt.length} in ${f1(s.indexes / 1000)} s | ${f1(s.analyze / 1000)} s | ${int(s.mib)} MiB |`;
    }),
  ];
  if (o.stats)
    lines.push(
      '',
      `disputeStats on the large database over ${STATS_DAYS} days [${o.stats.from.toISOString()}, ${o.stats.to.toISOString()}), ${STATS_ITERATIONS} sequential requests per case after ${WARMUP / 10} warm-ups, the cases interleaved; PostgreSQL's execution time from EXPLAIN (ANALYZE, BUFFERS) of the same statement:`,
      '',
      '| groupBy | viewer | rows | calls | disputed calls | p50 / p95 ms | PostgreSQL ms |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...o.stats.cases.map(
        (c) =>
          `| ${c.groupBy} | ${c.who} | ${int(c.rows)} | ${c.calls === null ? '—' : int(c.calls)} | ${int(c.disputed)} | **${f1(c.p50)}** / ${f1(c.p95)} | ${f1(c.execution)} |`,
      ),
      '',
      `Plans: ${path.relative(ROOT, o.stats.plansFile)}.`,
    );
  if (!o.sequential) return lines.join('\n');
  lines.push(
    '',
    `Single sequential requests, ${ITERATIONS} per case after ${WARMUP} warm-ups, the cases of a page interleaved; page ${int(DEPTH)} is ${int((DEPTH - 1) * PAGE_SIZE)} rows deep, its cursor found by walking:`,
    '',
    `| page (50 rows) | small p50 / p95 ms | large p50 / p95 ms | large ÷ small p50 | page ${DEPTH} p50 / p95 ms | page ${DEPTH} ÷ page 1 p50 | CPU ms/req small / large / page ${DEPTH} |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const { page, rows } of o.sequential) {
    const [s, l, d] = rows;
    lines.push(
      `| ${page.name} | ${f1(s.p50)} / ${f1(s.p95)} | ${f1(l.p50)} / ${f1(l.p95)} | **${(l.p50 / s.p50).toFixed(2)}** | ${f1(d.p50)} / ${f1(d.p95)} | **${(d.p50 / l.p50).toFixed(2)}** | ${f1(s.cpu)} / ${f1(l.cpu)} / ${f1(d.cpu)} |`,
    );
  }
  lines.push(
    '',
    `The manager's search for "${SEARCH_TERM}" (50 rows with totalCount) next to the same page unfiltered, ${SEARCH_ITERATIONS} sequential pairs after 5 warm-ups:`,
    '',
    '| database | matches / all | search p50 / p95 ms | list p50 / p95 ms | search ÷ list p50 |',
    '|---|---:|---:|---:|---:|',
    ...o.search.map(
      (r) =>
        `| ${r.size} | ${r.totals.map(int).join(' / ')} | ${f1(r.s50)} / ${f1(pct(r.search, 95))} | ${f1(r.l50)} / ${f1(pct(r.list, 95))} | **${(r.s50 / r.l50).toFixed(2)}** |`,
    ),
  );
  if (ROUNDS > 0)
    lines.push(
      '',
      `Under load (${CONNECTIONS} connections, page 1), ${ROUNDS} round(s) of ${SECONDS} s, small and large alternating; medians of the rounds:`,
      '',
      '| page (50 rows) | small req/s | large req/s | small p50 / p99 ms | large p50 / p99 ms | large ÷ small p50 | CPU ms/req small / large |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
  for (const { page, small, large } of ROUNDS > 0 ? o.load : []) {
    const m = (runs, k) => median(runs.map((r) => r[k]));
    lines.push(
      `| ${page.name} | ${int(m(small, 'rps'))} | ${int(m(large, 'rps'))} | ${m(small, 'p50')} / ${m(small, 'p99')} | ${m(large, 'p50')} / ${m(large, 'p99')} | **${(m(large, 'p50') / m(small, 'p50')).toFixed(2)}** | ${f1(m(small, 'cpu'))} / ${f1(m(large, 'cpu'))} |`,
    );
  }
  lines.push(
    '',
    `Walking ${DEPTH - 1} pages sequentially on the large database: ${o.walks.map((w) => `${w.key} ${f1(w.ms / 1000)} s`).join(', ')}.`,
  );
  if (o.plansFile)
    lines.push(
      `Plans (auto_explain, ANALYZE, BUFFERS) of every statement: ${path.relative(ROOT, o.plansFile)}.`,
    );
  return lines.join('\n');
}

runMain(main);
