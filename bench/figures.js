// The figures `npm run bench` is judged by, each against its goal and floor. Every step (run.js,
// search.js, scale.js, live-fanout.js) records the figures it measured with `record`, as JSON
// lines in the file BENCH_FIGURES names (set by bench/all.js; a step run alone records nothing);
// bench/all.js then prints them as one table with `targetLines`.
const fs = require('node:fs');

/**
 * What each figure is, and what it must be. `lower`: smaller is better. A figure at or better
 * than `goal` meets it; between goal and floor it holds the floor; past the floor it misses.
 * The live figures must hold those of the live round (goal); the floor leaves room for this
 * machine's noise on times (absolute figures move 10–40 % between runs), none on correctness.
 */
const TARGETS = [
  { prefix: 'page:', label: 'page ÷ twin, req/s', goal: 0.7, floor: 0.6 },
  {
    prefix: 'random:',
    label: 'random selection ÷ narrow page, API CPU per request',
    lower: true,
    goal: 1.3,
    floor: 1.5,
  },
  {
    prefix: 'search:',
    label: 'manager search ÷ unfiltered first page, time',
    lower: true,
    goal: 1.2,
    floor: 1.5,
  },
  { prefix: 'createDispute', label: 'createDispute ÷ twin, req/s', goal: 0.7, floor: 0.6 },
  {
    prefix: 'deep:',
    label: 'page 1,000 ÷ page 1 at 1M calls, time',
    lower: true,
    goal: 1.1,
    floor: 1.2,
  },
  {
    prefix: 'live:subscribe',
    label: 'live: 20,000 subscriptions opened, s',
    lower: true,
    goal: 2.4,
    floor: 3.4,
  },
  {
    prefix: 'live:heap',
    label: 'live: API heap per subscribed socket, KiB',
    lower: true,
    goal: 14.7,
    floor: 16,
  },
  {
    prefix: 'live:targeted',
    label: 'live: 90 recipients, p99 after the response, ms',
    lower: true,
    goal: 25,
    floor: 35,
  },
  {
    prefix: 'live:misaddressed',
    label: 'live: messages missing, extra or misaddressed',
    lower: true,
    goal: 0,
    floor: 0,
  },
];

/** Appends one figure for bench/all.js; `detail` says what was measured (page, size, seed). */
function record(key, value, detail = '') {
  const file = process.env.BENCH_FIGURES;
  if (!file || !Number.isFinite(value)) return;
  fs.appendFileSync(file, `${JSON.stringify({ key, value, detail })}\n`);
}

function read(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function verdict(target, value) {
  const better = (a, b) => (target.lower ? a <= b : a >= b);
  if (better(value, target.goal)) return 'goal met';
  if (better(value, target.floor)) return 'floor held';
  return '**missed**';
}

/** The figures of a run as a Markdown table, in TARGETS' order; and how many missed the floor. */
function targetLines(file) {
  const figures = read(file);
  const lines = [
    '| figure | measured on | value | goal | floor | verdict |',
    '|---|---|---:|---:|---:|---|',
  ];
  let missed = 0;
  for (const target of TARGETS) {
    const sign = target.lower ? '≤' : '≥';
    for (const f of figures.filter((x) => x.key.startsWith(target.prefix))) {
      const v = verdict(target, f.value);
      if (v === '**missed**') missed += 1;
      const digits = Number.isInteger(f.value) ? 0 : target.prefix.startsWith('live:') ? 1 : 2;
      lines.push(
        `| ${target.label} | ${f.detail || f.key.slice(target.prefix.length)} | ${f.value.toFixed(digits)} | ${sign} ${target.goal} | ${sign} ${target.floor} | ${v} |`,
      );
    }
  }
  const known = new Set(TARGETS.map((t) => t.prefix));
  const stray = figures.filter((f) => ![...known].some((p) => f.key.startsWith(p)));
  if (stray.length)
    throw new Error(`figures without a target: ${stray.map((f) => f.key).join(', ')}`);
  return { lines, missed, count: figures.length };
}

module.exports = { TARGETS, record, targetLines };
