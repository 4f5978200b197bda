// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package
// (node_modules/<package>, src/<file> for the API's own code, node internals, GC), top N each.
// Usage: node bench/profile-summary.js FILE.cpuprofile [--from US --to US] [--top 25] [--json]
// --from/--to: a window in the profile's clock (microseconds of CLOCK_MONOTONIC, the clock of
// process.hrtime), so that one profile can be cut into the phases of a benchmark run.
const fs = require('node:fs');
const path = require('node:path');

/** Where a frame's code lives: the package or file that owns the cost. */
function ownerOf(url, functionName) {
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    return '(native)';
  }
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = /\/dist\/(src\/.*|ormconfig)\.js$/.exec(file);
  if (src) return `${src[1]}.ts`;
  if (file.startsWith('node:'))
    return `node:${file.slice(5).split('/')[0] === 'internal' ? 'internal' : file.slice(5)}`;
  return path.basename(file);
}

/**
 * Self time per function and per owner, in microseconds, of the samples inside [from, to]
 * (or inside any of `windows`, a list of [from, to]).
 * A sample lasts until the next one (DevTools does the same).
 */
function summarise(profile, { from = -Infinity, to = Infinity, windows } = {}) {
  const spans = windows ?? [[from, to]];
  const inside = (t) => spans.some(([a, b]) => t >= a && t <= b);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ownerOfNode = new Map();
  const owner = (id) => {
    if (!ownerOfNode.has(id)) {
      const { url, functionName } = nodes.get(id).callFrame;
      ownerOfNode.set(id, ownerOf(url, functionName));
    }
    return ownerOfNode.get(id);
  };
  /** Who asked for a native call (e.g. a socket write): the nearest caller outside Node itself. */
  const jsCaller = (id) => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const o = owner(p);
      if (nodes.get(p).callFrame.url && !o.startsWith('node:')) return o;
    }
    return 'node';
  };
  const byFunction = new Map();
  const byOwner = new Map();
  const onStack = new Map();
  const add = (map, key, dt) => map.set(key, (map.get(key) ?? 0) + dt);
  let total = 0;
  let idle = 0;
  let t = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    if (!inside(t)) continue;
    const dt = i + 1 < samples.length ? timeDeltas[i + 1] : 0;
    const id = samples[i];
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    if (functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    let own = owner(id);
    if (own === '(native)') own = `(native, called by ${jsCaller(id)})`;
    add(
      byFunction,
      `${functionName || '(anonymous)'} ${own}${url ? `:${lineNumber + 1}` : ''}`,
      dt,
    );
    add(byOwner, own, dt);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) seen.add(owner(p));
    for (const o of seen) add(onStack, o, dt);
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        ms: us / 1000,
        share: total ? us / total : 0,
        inclusive: total ? (onStack.get(name) ?? us) / total : 0,
      }));
  return {
    samplesMs: (total + idle) / 1000,
    busyMs: total / 1000,
    idleMs: idle / 1000,
    functions: (n = 25) => top(byFunction, n),
    owners: (n = 25) => top(byOwner, n),
    /** Share of busy time with the owner anywhere on the stack (its own code and all it calls). */
    onStack: (n = 25) => top(onStack, n),
  };
}

function table(title, rows, { inclusive = false } = {}) {
  const lines = inclusive
    ? [`| ${title} | self ms | self share | on stack |`, '|---|---:|---:|---:|']
    : [`| ${title} | self ms | share |`, '|---|---:|---:|'];
  for (const r of rows)
    lines.push(
      `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${(r.share * 100).toFixed(1)} % |${
        inclusive ? ` ${(r.inclusive * 100).toFixed(1)} % |` : ''
      }`,
    );
  return lines.join('\n');
}

/**
 * The CPU profile that `node --cpu-prof --cpu-prof-dir=DIR` wrote when its process ended, kept
 * as bench/profiles/api-<time>.cpuprofile and summarised per phase: `windows` maps each phase to
 * its [from, to] spans in the profile's clock (process.hrtime, microseconds).
 */
function summariseProfile(dir, windows) {
  const { stamp } = require('./support');
  const written = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(dir, written), 'utf8'));
  const keep = path.join(__dirname, 'profiles');
  fs.mkdirSync(keep, { recursive: true });
  const file = path.join(keep, `api-${stamp()}.cpuprofile`);
  fs.copyFileSync(path.join(dir, written), file);
  const phases = Object.entries(windows).map(([key, spans]) => ({
    key,
    summary: summarise(profile, { windows: spans }),
  }));
  return { file, phases };
}

/** A report's lines for a kept profile: per phase its busy time, top owners and functions. */
function profileLines({ file, phases }) {
  const lines = [`CPU profile of the API: ${path.relative(path.resolve(__dirname, '..'), file)}.`];
  for (const { key, summary } of phases) {
    lines.push(
      '',
      `#### ${key}: ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle in the timed window(s)`,
      '',
      table('package or file', summary.owners(25), { inclusive: true }),
      '',
      table('function', summary.functions(25)),
    );
  }
  return lines;
}

function main() {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const file = args.find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    process.stderr.write(
      'usage: node bench/profile-summary.js FILE.cpuprofile [--from US --to US] [--top 25] [--json]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const s = summarise(profile, { from: opt('from', -Infinity), to: opt('to', Infinity) });
  const n = opt('top', 25);
  if (args.includes('--json')) {
    process.stdout.write(
      `${JSON.stringify({ busyMs: s.busyMs, idleMs: s.idleMs, functions: s.functions(n), owners: s.owners(n), onStack: s.onStack(n) }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `CPU busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms\n\n` +
      `${table('package or file', s.owners(n), { inclusive: true })}\n\n${table('function', s.functions(n))}\n`,
  );
}

if (require.main === module) main();

module.exports = { summarise, table, ownerOf, summariseProfile, profileLines };
