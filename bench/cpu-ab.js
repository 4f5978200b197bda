// CPU milliseconds per request of the API alone for the benchmark's three pages, for one or more
// builds side by side (A/B): the services and the 50,000-call database are made once, then each
// build's API (its `dist/`, all running at once) serves each page under the same load in turn,
// the order alternating, for ROUNDS rounds. The API's own CPU (user + system, /proc) divided by
// the requests answered is the figure, with PostgreSQL's (its processes' CPU over the same span)
// beside it; the median and the best round of each build are printed last. Used to measure one change before keeping it.
// Usage: node bench/cpu-ab.js ROOT[::NODE_FLAG...] ...   (each ROOT holds a built dist/, e.g. a
//   git worktree; the flags, if any, are given to its API process: `.::--max-semi-space-size=32`)
//   env: ROUNDS (2), SECS (5) per page and round, ONLY=<page key>, WIDE=1 (the pages with every
//   column too), SEED=<n> (and pages with random columns drawn from it, bench/pages.js), PROF=1
//   (--cpu-prof into bench/profiles/cpu-ab-<time>/, for bench/profile-summary.js)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client: Pg } = require('pg');
const { seed } = require('./seed');
const { PAGES, WIDE_PAGES, BUYER, MANAGER, randomPages, seededRandom } = require('./pages');
const S = require('./support');

// A build may carry Node flags for its API process after `::`, e.g. `.::--max-semi-space-size=32`.
const builds = process.argv.slice(2).map((arg) => {
  const [dir, ...flags] = arg.split('::');
  return { root: path.resolve(dir), flags, label: arg };
});
const roots = builds.map((b) => b.label);
const dirOf = (label) => builds.find((b) => b.label === label).root;
const flagsOf = (label) => builds.find((b) => b.label === label).flags;
const SECONDS = Number(process.env.SECS || 5);
const ROUNDS = Number(process.env.ROUNDS || 2);
const pages = [
  ...PAGES,
  ...(process.env.WIDE ? WIDE_PAGES : []),
  ...(process.env.SEED ? randomPages(seededRandom(Number(process.env.SEED))) : []),
];
const profileDir = process.env.PROF
  ? path.join(__dirname, 'profiles', `cpu-ab-${S.stamp()}`)
  : null;

async function main() {
  if (!roots.length) throw new Error('Usage: node bench/cpu-ab.js ROOT [ROOT ...]');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-cpu-ab-'));
  fs.chmodSync(tmp, 0o755);
  const services = await S.startServices(tmp);
  const tokens = await S.tokensFor([BUYER, MANAGER]);
  // The schema comes from the first build's migrations, run by its API at start.
  let api = await S.forkReady(
    path.join(dirOf(roots[0]), 'dist/src/main.js'),
    [],
    S.apiEnv(services.info),
  );
  const pg = new Pg({ connectionString: services.info.databaseUrl });
  await pg.connect();
  await seed(pg, { calls: 50_000, disputes: 10_000 });
  await S.stop(api);
  const loader = S.loadProcess();
  const apiCpu = {};
  const pgCpu = {};
  const apis = {};
  const selected = pages.filter((p) => !process.env.ONLY || p.key === process.env.ONLY);
  const jobOf = (root, page) => ({
    url: apis[root].info.url,
    token: tokens[page.user],
    connections: 32,
    body: page.body,
  });
  try {
    // Every build's API runs at once, warmed on every page; then each page is loaded on each
    // build in turn, the order alternating per round, so the machine's swings fall on both.
    for (const root of roots) {
      const execArgv = [
        ...flagsOf(root),
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ];
      apis[root] = await S.forkReady(
        path.join(dirOf(root), 'dist/src/main.js'),
        [],
        S.apiEnv(services.info),
        execArgv,
      );
    }
    for (const page of selected)
      for (const root of roots) await loader.run({ ...jobOf(root, page), seconds: 2 });
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of selected) {
        const order = round % 2 === 0 ? roots : [...roots].reverse();
        for (const root of order) {
          const pid = apis[root].child.pid;
          const before = S.cpuMs(pid);
          const pgBefore = S.pgCpuMs(tmp);
          const r = await loader.run({ ...jobOf(root, page), seconds: SECONDS });
          if (r.non2xx || r.errors) throw new Error(`${page.key}: ${JSON.stringify(r)}`);
          const cpu = (S.cpuMs(pid) - before) / r.requests;
          const pgMs = (S.pgCpuMs(tmp) - pgBefore) / r.requests;
          ((apiCpu[root] ??= {})[page.key] ??= []).push(cpu);
          ((pgCpu[root] ??= {})[page.key] ??= []).push(pgMs);
          S.log(
            `${root} ${page.key}: ${r.rps.toFixed(0)} req/s, ${cpu.toFixed(2)} ms CPU/req (PostgreSQL ${pgMs.toFixed(2)}), p50 ${r.p50} p99 ${r.p99}`,
          );
        }
      }
    }
  } finally {
    loader.child.kill();
    for (const root of roots) if (apis[root]) await S.stop(apis[root]);
    await pg.end();
    await S.stop(services);
  }
  // Per build, each page's rounds summed up one way: the median or the best round.
  const lines = (runs, of, what) => {
    for (const [root, byPage] of Object.entries(runs)) {
      const line = Object.entries(byPage).map(([k, v]) => `${k} ${of(v).toFixed(2)}`);
      process.stdout.write(`${root}: ${line.join(' | ')} (${what})\n`);
    }
  };
  const best = (xs) => Math.min(...xs);
  lines(apiCpu, (xs) => S.pct(xs, 50), 'ms CPU per request, median round');
  lines(apiCpu, best, 'ms CPU per request, best round');
  lines(pgCpu, best, 'PostgreSQL ms CPU per request, best round');
  for (const page of pages.filter((p) => p.columns))
    process.stdout.write(`${page.key} (SEED=${process.env.SEED}): ${page.columns.join(', ')}\n`);
  if (profileDir) process.stdout.write(`profiles in ${profileDir}\n`);
}

S.runMain(main);
