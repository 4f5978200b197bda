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
  const byFunction = new Map();
  const byOwner = new Map();
  let total = 0;
  let idle = 0;
  let t = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    if (!inside(t)) continue;
    const dt = i + 1 < samples.length ? timeDeltas[i + 1] : 0;
    const node = nodes.get(samples[i]);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += dt;
      continue;
    }
    total += dt;
    const owner = ownerOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${owner}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + dt);
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  return {
    samplesMs: (total + idle) / 1000,
    busyMs: total / 1000,
    idleMs: idle / 1000,
    functions: (n = 25) => top(byFunction, n),
    owners: (n = 25) => top(byOwner, n),
  };
}

function table(title, rows) {
  const lines = [`| ${title} | self ms | share |`, '|---|---:|---:|'];
  for (const r of rows)
    lines.push(
      `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${(r.share * 100).toFixed(1)} % |`,
    );
  return lines.join('\n');
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
      `${JSON.stringify({ busyMs: s.busyMs, idleMs: s.idleMs, functions: s.functions(n), owners: s.owners(n) }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `CPU busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms\n\n` +
      `${table('package or file', s.owners(n))}\n\n${table('function', s.functions(n))}\n`,
  );
}

if (require.main === module) main();

module.exports = { summarise, table, ownerOf };
