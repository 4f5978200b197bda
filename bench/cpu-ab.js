// CPU milliseconds per request of the API alone for the benchmark's three pages, for one or more
// builds side by side (A/B): the services and the 50,000-call database are made once, then each
// build's API (its `dist/`) serves each page under the same load in turn, for ROUNDS rounds. The
// API's own CPU (user + system, /proc) divided by the requests answered is the figure, with
// PostgreSQL's (its processes' CPU over the same span) beside it; the best round of each build
// is printed last. Used to measure one change before keeping it.
// Usage: node bench/cpu-ab.js ROOT [ROOT ...]   (each ROOT holds a built dist/, e.g. a git worktree)
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

const roots = process.argv.slice(2).map((r) => path.resolve(r));
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
  let api = await S.forkReady(path.join(roots[0], 'dist/src/main.js'), [], S.apiEnv(services.info));
  const pg = new Pg({ connectionString: services.info.databaseUrl });
  await pg.connect();
  await seed(pg, { calls: 50_000, disputes: 10_000 });
  await S.stop(api);
  const loader = S.loadProcess();
  const best = {};
  const bestPg = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const root of roots) {
        const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
        api = await S.forkReady(
          path.join(root, 'dist/src/main.js'),
          [],
          S.apiEnv(services.info),
          execArgv,
        );
        for (const page of pages.filter((p) => !process.env.ONLY || p.key === process.env.ONLY)) {
          const job = {
            url: api.info.url,
            token: tokens[page.user],
            connections: 32,
            body: page.body,
          };
          await loader.run({ ...job, seconds: 1 });
          const before = S.cpuMs(api.child.pid);
          const pgBefore = S.pgCpuMs(tmp);
          const r = await loader.run({ ...job, seconds: SECONDS });
          if (r.non2xx || r.errors) throw new Error(`${page.key}: ${JSON.stringify(r)}`);
          const cpu = (S.cpuMs(api.child.pid) - before) / r.requests;
          const pgCpu = (S.pgCpuMs(tmp) - pgBefore) / r.requests;
          ((best[root] ??= {})[page.key] ??= []).push(cpu);
          ((bestPg[root] ??= {})[page.key] ??= []).push(pgCpu);
          S.log(
            `${root} ${page.key}: ${r.rps.toFixed(0)} req/s, ${cpu.toFixed(2)} ms CPU/req (PostgreSQL ${pgCpu.toFixed(2)}), p50 ${r.p50} p99 ${r.p99}`,
          );
        }
        await S.stop(api);
      }
    }
  } finally {
    loader.child.kill();
    await pg.end();
    await S.stop(services);
  }
  for (const [root, pages] of Object.entries(best)) {
    const line = Object.entries(pages).map(([k, v]) => `${k} ${Math.min(...v).toFixed(2)}`);
    process.stdout.write(`${root}: ${line.join(' | ')} (ms CPU per request, best round)\n`);
  }
  for (const [root, pages] of Object.entries(bestPg)) {
    const line = Object.entries(pages).map(([k, v]) => `${k} ${Math.min(...v).toFixed(2)}`);
    process.stdout.write(
      `${root}: ${line.join(' | ')} (PostgreSQL ms CPU per request, best round)\n`,
    );
  }
  for (const page of pages.filter((p) => p.columns))
    process.stdout.write(`${page.key} (SEED=${process.env.SEED}): ${page.columns.join(', ')}\n`);
  if (profileDir) process.stdout.write(`profiles in ${profileDir}\n`);
}

S.runMain(main);
