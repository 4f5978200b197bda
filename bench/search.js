// The manager's search against the list it searches: `disputes(search: "12345")` with totalCount
// (a five-digit part of a caller ID, destination or dispute ID) next to the same page without a
// search, single sequential requests alternating between the two, on the benchmark's seed
// (bench/seed.js: 50,000 calls, 10,000 disputes, or --calls and --disputes). The figure is the
// ratio of the medians. For one or more builds side by side (each ROOT holds a built dist/, e.g.
// a copy of an earlier commit): the database is made once, then each build's API serves both
// in turn. With --explain, the page and count statements each build sends for both are captured
// (its listDisputes run with a recording data source) and shown with EXPLAIN (ANALYZE, BUFFERS).
// With --as-imported, the trigram indexes keep the pending lists of the bulk insert (every
// seeded row, which each search then scans), as right after an import, before autovacuum merges
// them.
// Usage: node bench/search.js [ROOT ...] [--iterations 200] [--rounds 2] [--explain]
//   [--calls 50000 --disputes 10000]
//   [--as-imported] [--term 12345 --term 5550]   (ROOT defaults to this checkout)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parse } = require('graphql');
const { Client: Pg } = require('pg');
const { record } = require('./figures');
const { seed } = require('./seed');
const { MANAGER } = require('./pages');
const S = require('./support');

const argv = process.argv.slice(2);
const roots = [];
const terms = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--term') terms.push(argv[++i]);
  else if (argv[i] === '--capture') break;
  else if (argv[i].startsWith('--')) i += ['--explain', '--as-imported'].includes(argv[i]) ? 0 : 1;
  else roots.push(path.resolve(argv[i]));
}
if (!roots.length) roots.push(S.ROOT);
if (!terms.length) terms.push('12345');
const ITERATIONS = S.arg('iterations', 200);
const ROUNDS = S.arg('rounds', 2);
const CALLS = S.arg('calls', 50_000);
const DISPUTES = S.arg('disputes', 10_000);
const EXPLAIN = S.flag('explain');

const QUERY = `query Search($first: Int, $search: String) {
  disputes(first: $first, search: $search) {
    totalCount
    nodes {
      id status reason createdAt
      call { id startedAt callerId destination payout { amount currency } }
      buyer { name }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function post(url, token, variables) {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY, variables }),
  });
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms, total: body.data.disputes.totalCount };
}

/**
 * `n` sequential pairs, the search for `term` then the unfiltered first page, after 5 pairs of
 * warm-up (both documents compiled, caches filled): the times of each, and the matches / all.
 */
async function searchPairs(url, token, term, n) {
  for (let i = 0; i < 5; i++) {
    await post(url, token, { first: 50, search: term });
    await post(url, token, { first: 50 });
  }
  const out = { search: [], list: [], totals: [] };
  for (let i = 0; i < n; i++) {
    const a = await post(url, token, { first: 50, search: term });
    const b = await post(url, token, { first: 50 });
    out.search.push(a.ms);
    out.list.push(b.ms);
    out.totals = [a.total, b.total];
  }
  return out;
}

/**
 * The statements a build's listDisputes sends for the page and its count, for the manager: run
 * on that build's modules (in a process of its own: two builds' type-graphql metadata would
 * collide), with a data source that records them and answers no rows.
 */
function statementsOf(root, search) {
  const out = execFileSync(
    process.execPath,
    [path.join(__dirname, 'search.js'), '--capture', root, search ?? ''],
    {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    },
  );
  return JSON.parse(out);
}

async function capture(root, search) {
  require(path.join(root, 'node_modules/reflect-metadata'));
  const { getSchema } = require(path.join(root, 'dist/src/app/schema.js'));
  const { listDisputes } = require(path.join(root, 'dist/src/disputes/dispute-queries.js'));
  const schema = await getSchema();
  const document = parse(QUERY);
  const operation = document.definitions[0];
  const info = { schema, operation, fragments: {} };
  const sent = [];
  const ds = {
    query: async (sql, params) => {
      sent.push({ sql, params });
      return sql.startsWith('SELECT count') ? [{ n: '0' }] : [];
    },
  };
  const ignore = { prime() {}, row() {} };
  const ctx = {
    app: { ds, now: () => new Date(), config: { DUPLICATE_WINDOW_HOURS: 24 } },
    loaders: new Proxy({}, { get: () => ignore }),
  };
  const viewer = {
    id: MANAGER,
    name: 'Bench Max',
    role: 'MANAGER',
    accountId: null,
    permissions: new Set(['VIEW_DISPUTES', 'EDIT_DISPUTES']),
  };
  const page = await listDisputes(ctx, viewer, { search, first: 50 }, info);
  await page.totalCount();
  process.stdout.write(JSON.stringify(sent));
}

async function explain(pg, statements) {
  const out = [];
  for (const { sql, params } of statements) {
    // Once to warm the caches, then the plan shown.
    await pg.query(sql, params);
    const { rows } = await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    out.push({ sql, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
  }
  return out;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-search-'));
  fs.chmodSync(tmp, 0o755);
  const loadBefore = os.loadavg();
  const services = await S.startServices(tmp);
  const tokens = await S.tokensFor([MANAGER]);
  let api = await S.forkReady(path.join(roots[0], 'dist/src/main.js'), [], S.apiEnv(services.info));
  const pg = new Pg({ connectionString: services.info.databaseUrl });
  await pg.connect();
  await seed(pg, { calls: CALLS, disputes: DISPUTES, settled: !S.flag('as-imported') });
  await S.stop(api);
  const times = {}; // root → term → { search: [], list: [] }
  const totals = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const root of roots) {
        api = await S.forkReady(path.join(root, 'dist/src/main.js'), [], S.apiEnv(services.info));
        const url = api.info.url;
        for (const term of terms) {
          const t = ((times[root] ??= {})[term] ??= { search: [], list: [] });
          const pairs = await searchPairs(url, tokens[MANAGER], term, ITERATIONS);
          t.search.push(...pairs.search);
          t.list.push(...pairs.list);
          totals[term] = pairs.totals;
          S.log(
            `round ${round + 1} ${root} "${term}": search p50 ${S.pct(t.search, 50).toFixed(2)} ms, list p50 ${S.pct(t.list, 50).toFixed(2)} ms`,
          );
        }
        await S.stop(api);
      }
    }
    const lines = [
      `Command: \`node bench/search.js ${argv.join(' ')}\` — ${ROUNDS} round(s) of ${ITERATIONS} sequential pairs (search, list) per build and term, 50 rows with totalCount, as the manager.`,
      S.machineLine(loadBefore, os.loadavg()),
      '',
      '| build | term | matches / all | search p50 ms | list p50 ms | ratio | search p95 ms | list p95 ms |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    ];
    for (const root of roots) {
      for (const term of terms) {
        const t = times[root][term];
        const [s50, l50] = [S.pct(t.search, 50), S.pct(t.list, 50)];
        lines.push(
          `| ${path.relative(process.cwd(), root) || '.'} | "${term}" | ${totals[term].join(' / ')} | ${s50.toFixed(2)} | ${l50.toFixed(2)} | ${(s50 / l50).toFixed(2)} | ${S.pct(t.search, 95).toFixed(2)} | ${S.pct(t.list, 95).toFixed(2)} |`,
        );
        if (root === roots[roots.length - 1] && /^\d{5}$/.test(term))
          record(
            `search:${CALLS}`,
            s50 / l50,
            `"${term}", ${CALLS.toLocaleString('en-US')} calls (bench/seed.js)`,
          );
      }
    }
    if (EXPLAIN) {
      for (const root of roots) {
        for (const search of [...terms, null]) {
          const plans = await explain(pg, statementsOf(root, search));
          for (const [i, { sql, plan }] of plans.entries()) {
            lines.push(
              '',
              `#### ${path.relative(process.cwd(), root) || '.'}, ${search ? `search "${search}"` : 'no search'}: the ${i === 0 ? 'page' : 'count'}`,
              '',
              '```sql',
              sql.replace(/\s+/g, ' '),
              '```',
              '',
              '```',
              plan,
              '```',
            );
          }
        }
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pg.end();
    await S.stop(api).catch(() => undefined);
    await S.stop(services);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { searchPairs };

if (require.main === module) {
  const at = process.argv.indexOf('--capture');
  if (at > 0) S.runMain(() => capture(process.argv[at + 1], process.argv[at + 2] || null));
  else S.runMain(main);
}
