// Selections no other bench sends, for one or more builds serving the same databases (each ROOT
// holds a built dist/, e.g. a worktree of an earlier commit; default: this checkout):
//   1. page 1 against page 1,000 at 1,000,000 calls (bench/scale-seed.js) for the manager's
//      PENDING page, the buyer's Disputes page and the Call Log, each with fields the pages of
//      bench/pages.js do not ask for; sequential, page 1 and the deep page interleaved, p50;
//   2. createDispute asking for an answer no bench asks for, on 50,000 calls (bench/seed.js),
//      sequential, the builds alternating, with SQL_STATS on (statements per request).
// Usage: node bench/untuned.js [ROOT ...] [--iterations 50 --creates 450 --depth 1000]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { URL } = require('node:url');
const { Client: Pg } = require('pg');
const { seedScale } = require('./scale-seed');
const { seed, seedWriterCalls, writerCallId } = require('./seed');
const { BUYER, MANAGER, WRITER } = require('./pages');
const { ROOT, arg, log, stop, startServices, tokensFor, runMain } = require('./support');

const ITERATIONS = arg('iterations', 50);
const CREATES = arg('creates', 450);
const DEPTH = arg('depth', 1000);
const ROOTS = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const BUILDS = (ROOTS.length ? ROOTS : [ROOT]).map((r) => path.resolve(r));

const PAGES = [
  {
    name: "manager's PENDING page",
    user: MANAGER,
    root: 'disputes(first: 50, after: $after, filter: { status: [PENDING] })',
    selection:
      'id additionalInfo evidence { id } createdBy { id name } buyer { __typename name } call { __typename durationSeconds hangup { by } buyer { name } payout { currency } } history { type at }',
  },
  {
    name: "buyer's Disputes page",
    user: BUYER,
    root: 'disputes(first: 50, after: $after)',
    selection:
      'i: id status createdAt decision { comment decidedAt } call { destination originalPayout { amount } campaign { id } }',
  },
  {
    name: "buyer's Call Log",
    user: BUYER,
    root: 'calls(first: 50, after: $after)',
    selection:
      'id durationSeconds hangup { by cause } disputability { allowed windowEndsAt } disputes { id status } campaign { __typename name }',
  },
];

const CREATE = `mutation($callId: ID!) {
  createDispute(input: { callId: $callId, reason: CALL_NOT_CONNECTED, additionalInfo: "line dead" }) {
    id status reason additionalInfo createdAt createdBy { name } buyer { name }
    call { id callerId durationSeconds payout { amount currency } originalPayout { amount }
      disputability { allowed blockedBy windowEndsAt } campaign { name } }
    history { type statusAfter payoutAfter { amount } } } }`;

async function gql(url, token, query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
}

const timed = async (fn) => {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Each build's API on `databaseUrl`, started by that build's own bench/support.js. */
async function startBuilds(services, databaseUrl, env) {
  const apis = [];
  for (const root of BUILDS) {
    const { startApi } = require(path.join(root, 'bench', 'support.js'));
    apis.push({ root, proc: await startApi({ ...services.info, databaseUrl }, env) });
  }
  return apis;
}

async function deepPages(apis, tokens) {
  const rows = [];
  for (const page of PAGES) {
    const key = page.root.split('(')[0];
    const query = `query($after: String) { ${page.root} { nodes { ${page.selection} } pageInfo { endCursor } } }`;
    const walk = `query($after: String) { ${page.root} { pageInfo { endCursor } } }`;
    const token = tokens[page.user];
    // Every build walks to the deep page, so each is as warm as the other when measured.
    let deep = null;
    for (const api of apis) {
      deep = null;
      for (let i = 1; i < DEPTH; i++)
        deep = (await gql(api.proc.info.url, token, walk, { after: deep })).data[key].pageInfo
          .endCursor;
    }
    const times = apis.map(() => ({ first: [], deep: [] }));
    for (let i = 0; i < ITERATIONS + 10; i++) {
      // The builds' order alternates, so neither always follows the other's deep page.
      for (const b of i % 2 ? [...apis.keys()].reverse() : [...apis.keys()]) {
        const api = apis[b];
        for (const [which, after] of [
          ['first', null],
          ['deep', deep],
        ]) {
          const { ms } = await timed(() => gql(api.proc.info.url, token, query, { after }));
          if (i >= 10) times[b][which].push(ms);
        }
      }
    }
    for (const [b, api] of apis.entries()) {
      const first = median(times[b].first);
      const later = median(times[b].deep);
      rows.push({ page: page.name, build: api.root, first, deep: later, ratio: later / first });
      log(
        `${api.root} ${page.name}: page 1 ${first.toFixed(2)} ms, page ${DEPTH} ${later.toFixed(2)} ms`,
      );
    }
  }
  return rows;
}

async function creates(apis, token) {
  const out = apis.map(() => ({ ms: [], statements: new Set() }));
  let call = 1;
  for (let i = 0; i < CREATES + 20; i++) {
    const order = i % 2 ? [...apis.keys()].reverse() : [...apis.keys()];
    for (const b of order) {
      const { ms, value } = await timed(() =>
        gql(apis[b].proc.info.url, token, CREATE, { callId: writerCallId(call++) }),
      );
      if (i >= 20) {
        out[b].ms.push(ms);
        out[b].statements.add(value.extensions.sqlStatements);
      }
    }
  }
  return out.map((o, b) => ({
    build: apis[b].root,
    p50: median(o.ms),
    p95: [...o.ms].sort((x, y) => x - y)[Math.floor(o.ms.length * 0.95)],
    statements: [...o.statements].join(' / '),
  }));
}

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-untuned-'));
  fs.chmodSync(tmp, 0o755);
  const services = await startServices(tmp);
  const running = [];
  try {
    const admin = new Pg({ connectionString: services.info.databaseUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE untuned_large');
    await admin.end();
    const large = new URL(services.info.databaseUrl);
    large.pathname = '/untuned_large';
    const tokens = await tokensFor([BUYER, MANAGER, WRITER]);

    // 1. The deep pages: the first build's API applies the migrations, then the seed.
    let apis = await startBuilds(services, large.toString(), {});
    running.push(...apis.map((a) => a.proc));
    const pg = new Pg({ connectionString: large.toString() });
    await pg.connect();
    await seedScale(pg, { calls: 1_000_000, disputes: 200_000 });
    await pg.end();
    const pages = await deepPages(apis, tokens);
    for (const api of apis) await stop(api.proc);
    running.length = 0;

    // 2. createDispute on the default database (50,000 calls and fresh calls to dispute).
    apis = await startBuilds(services, services.info.databaseUrl, { SQL_STATS: 'true' });
    running.push(...apis.map((a) => a.proc));
    const small = new Pg({ connectionString: services.info.databaseUrl });
    await small.connect();
    await seed(small, { calls: 50_000, disputes: 10_000 });
    await seedWriterCalls(small, apis.length * (CREATES + 20) + 2);
    await small.end();
    const writes = await creates(apis, tokens[WRITER]);

    const lines = [
      `Command: \`node bench/untuned.js${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\`; whole run ${((Date.now() - started) / 60000).toFixed(1)} min; Node ${process.version}.`,
      '',
      `| page (selections in bench/untuned.js) | build | page 1 p50 ms | page ${DEPTH} p50 ms | ratio |`,
      '|---|---|---:|---:|---:|',
      ...pages.map(
        (r) =>
          `| ${r.page} | ${r.build} | ${r.first.toFixed(2)} | ${r.deep.toFixed(2)} | **${r.ratio.toFixed(2)}** |`,
      ),
      '',
      `| createDispute, a wide answer (${CREATES} sequential) | p50 ms | p95 ms | statements |`,
      '|---|---:|---:|---:|',
      ...writes.map(
        (w) => `| ${w.build} | ${w.p50.toFixed(2)} | ${w.p95.toFixed(2)} | ${w.statements} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const proc of running) await stop(proc).catch(() => undefined);
    await stop(services).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runMain(main);
