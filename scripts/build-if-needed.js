// Builds with tsc when dist is missing or older than any source file; incremental, so quick.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function buildIfNeeded() {
  const marker = path.join(root, 'dist', 'src', 'main.js');
  const built = fs.existsSync(marker) ? newest(path.join(root, 'dist')) : 0;
  const sources = Math.max(
    newest(path.join(root, 'src')),
    newest(path.join(root, 'migrations')),
    fs.statSync(path.join(root, 'ormconfig.ts')).mtimeMs,
  );
  if (built >= sources) return;
  process.stderr.write('Building (tsc)...\n');
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.utimesSync(marker, new Date(), new Date());
}

module.exports = { buildIfNeeded, root };
