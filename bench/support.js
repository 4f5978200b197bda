// What the benchmarks share: their command-line flags, the API and service processes they fork and
// stop, the load process, tokens, percentiles and the way a run ends on an error.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SECRET = 'bench-secret-for-the-disputes-api';

const flag = (name) => process.argv.includes(`--${name}`);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const log = (line) => process.stderr.write(`${line}\n`);
/** The p-th percentile of `xs` (nearest rank); NaN for none. */
const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
/** The median of `xs` (the mean of the two middle ones for an even count). */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** A file name's timestamp: now, with the characters file systems dislike replaced. */
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

// ------------------------------------------------------------------ processes

/** Forks `file` and resolves with the child and its first IPC message (where it listens). */
function forkReady(file, args, env, execArgv = []) {
  const child = fork(file, args, {
    env: { PATH: process.env.PATH, ...env },
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, info: m }));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

async function stop(proc) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  await exited;
}

/** The test suite's PostgreSQL and S3 store in a process of their own, with data under `dir`. */
function startServices(dir) {
  return forkReady(path.join(ROOT, 'test/support/services-runner.js'), [dir], {});
}

/**
 * An API process's environment for the given services: on a free loopback port, in production
 * mode with SQL_STATS off, unless `env` says otherwise.
 */
function apiEnv({ databaseUrl, s3 }, env = {}) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: SECRET,
    SQL_STATS: 'false',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
    S3_BUCKET: 'bench',
    // Production requires a token for /metrics (or a listener of its own); the benches never scrape.
    METRICS_TOKEN: 'bench-metrics-token-not-a-secret',
    ...env,
  };
}

function startApi(services, env = {}, execArgv = []) {
  return forkReady(path.join(ROOT, 'dist/src/main.js'), [], apiEnv(services, env), execArgv);
}

/** User + system CPU time of a process so far, in milliseconds (Linux). */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/**
 * CPU time so far of the embedded PostgreSQL under `dir` (bench/services-runner's directory):
 * its postmaster's children, the backends serving the API among them, in milliseconds (Linux).
 * Backends that ended are no longer counted, so measure over a span in which the pool's
 * connections stay open.
 */
function pgCpuMs(dir) {
  const postmaster = Number(
    fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[1]) === postmaster)
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

function rssMiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** The autocannon process: one run at a time, over IPC. */
function loadProcess() {
  const child = fork(path.join(__dirname, 'load-worker.js'), [], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map();
  child.on('message', (m) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  return {
    child,
    run(job) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, ...job });
      });
    },
  };
}

/**
 * A token per user id, keyed by the id. The build's token module is loaded here, not at the top:
 * bench/live-fanout.js loads this file into the API process and the subscriber processes too.
 */
async function tokensFor(userIds) {
  const { signToken } = require(path.join(ROOT, 'dist/src/auth/tokens.js'));
  const tokens = {};
  for (const id of userIds) tokens[id] = await signToken(SECRET, id);
  return tokens;
}

// ------------------------------------------------------------------ API and twin side by side

/** One GraphQL POST of `body` (JSON text): its status and text. */
async function post(url, token, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** Where two answers part, with some bytes of each around it. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at byte ${i}:\n  API:  …${a.slice(Math.max(0, i - 80), i + 120)}\n  twin: …${b.slice(Math.max(0, i - 80), i + 120)}`;
}

/**
 * The twin must answer exactly the API's bytes (`servers.api.url`, `servers.twin.url`). A verdict
 * may flip between the two requests when a call's window ends in between, so a difference gets
 * two more tries before it fails the run.
 */
async function checkSame(servers, token, body, what) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    const a = await post(servers.api.url, token, body);
    const t = await post(servers.twin.url, token, body);
    if (a.status !== 200 || !a.text.startsWith('{"data":{') || a.text.includes('"errors"'))
      throw new Error(
        `the API did not answer ${what} with data: ${a.status} ${a.text.slice(0, 500)}`,
      );
    if (a.text === t.text) return a.text;
    last = firstDifference(a.text, t.text);
  }
  throw new Error(`the twin's answer to ${what} differs from the API's ${last}`);
}

/** The medians of load runs (the load worker's results with cpuMsPerRequest added). */
function summaryOf(runs) {
  if (!runs.length) return null;
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.map((r) => r.cpuMsPerRequest)),
  };
}

// ------------------------------------------------------------------ the run

/**
 * Prints the error at once and rethrows it: stopping PostgreSQL afterwards makes any client still
 * open fail too, and that error would otherwise be the only one seen.
 */
function printAndRethrow(err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  throw err;
}

function runMain(main) {
  main().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}

/** The report's machine line: cores, CPU model, Node, and the load average before and after. */
function machineLine(loadBefore, loadAfter) {
  return `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after.`;
}

module.exports = {
  ROOT,
  SECRET,
  flag,
  arg,
  log,
  pct,
  median,
  stamp,
  forkReady,
  stop,
  startServices,
  apiEnv,
  startApi,
  cpuMs,
  pgCpuMs,
  rssMiB,
  loadProcess,
  tokensFor,
  printAndRethrow,
  runMain,
  machineLine,
  post,
  firstDifference,
  checkSame,
  summaryOf,
};
