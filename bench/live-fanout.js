// `npm run bench:live`: fan-out of live events over graphql-ws. Connects N subscribers (buyer users
// spread over buyer accounts, plus managers), then creates and resolves disputes through HTTP, one
// event at a time, and measures per event how long it takes until every addressed subscriber has
// its message, that nobody else gets one, the SQL statements per event and the API's memory.
// Every event reaches the managers too (they see every dispute and the global pending count), so a
// second phase runs with the managers' sockets closed: the same events, reaching ~90 buyers only.
// Bounded in count and time; loopback only. Subscriber sockets live in forked child processes
// (each process has its own file descriptor limit; the API holds the server side).
// Usage: npm run bench:live [-- --sockets 10000 --managers 1000 --accounts 100 --events 50
//   --events-buyers-only 20 --batch 200 --clients 2 --pause 100 --event-timeout 20 --timeout 300
//   --rich (selections with nested fields, managers also on notificationAdded) --no-sql-probe
//   --profile DIR (the API's CPU profile, with the events' window for bench/profile-summary.js)
//   --churn 10 (instead of events: that many rounds of connecting, subscribing and dropping every
//   socket, the API's heap after a full GC after each)]
// --subscribers is the older name of --sockets. The heap figures come from a full GC in the API
// (started with --expose-gc, asked over IPC by the probe), so they need the SQL probe.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout, clearTimeout, setImmediate } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { ROOT, SECRET, arg, flag, apiEnv, pct } = require('./support');
const { record } = require('./figures');

/** This file: also the subscriber processes' entry and, with --require, the API's SQL probe. */
const SELF = module.filename;
/** One clock for every process on this machine (CLOCK_MONOTONIC), in milliseconds. */
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

const summary = (xs) => ({
  n: xs.length,
  p50: pct(xs, 50),
  p95: pct(xs, 95),
  p99: pct(xs, 99),
  max: Math.max(...xs),
});

const uuid = (prefix, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const accountId = (a) => uuid('a0000000', a);
const buyerId = (u) => uuid('b1000000', u);
const managerId = (m) => uuid('c1000000', m);
const EDITOR_ID = uuid('e1000000', 1);
const freshCallId = (a, j) => uuid('f0000000', a * 1000 + j);

/**
 * What each kind of subscriber selects. pendingDisputesCount goes last: its first value tells
 * that the socket's subscriptions are in.
 */
function subscriptionMix(rich) {
  const queries = rich
    ? {
        notificationAdded: 'subscription { notificationAdded { id kind dispute { id status } } }',
        disputeChanged:
          'subscription { disputeChanged { id status call { id payout { amount currency } } buyer { name } } }',
        pendingDisputesCount: 'subscription { pendingDisputesCount }',
      }
    : {
        notificationAdded: 'subscription { notificationAdded { id kind } }',
        disputeChanged: 'subscription { disputeChanged { id status } }',
        pendingDisputesCount: 'subscription { pendingDisputesCount }',
      };
  return {
    queries,
    topics: {
      buyer: ['notificationAdded', 'pendingDisputesCount'],
      manager: rich
        ? ['notificationAdded', 'disputeChanged', 'pendingDisputesCount']
        : ['disputeChanged', 'pendingDisputesCount'],
    },
  };
}

// ------------------------------------------------------------------ inside the API process

/**
 * Loaded into the API with `--require` (LIVE_FANOUT_ROLE=api-probe): counts the SQL statements
 * every pg client sends, split into those the live hub sends (its code is on the statement's
 * async stack) and the others (HTTP requests, subscription set-up), and answers over IPC. The
 * API runs as in production, without SQL_STATS: its per-request AsyncLocalStorage would turn on
 * promise hooks for every promise of every message, which production does not pay. A stack is
 * taken per statement only, a few per event. Also stops the API if this bench dies without
 * cleaning up (the IPC channel closes).
 */
function installApiProbe() {
  const pg = require('pg');
  const HUB = `${path.sep}notifications${path.sep}live-hub.js`;
  const fromHub = () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 80;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    return stack.includes(HUB);
  };
  let shapes = new Map();
  let other = 0;
  let hub = 0;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(config, values, ...rest) {
    const text = typeof config === 'string' ? config : config && config.text;
    if (typeof text === 'string') {
      const byHub = fromHub();
      if (byHub) hub += 1;
      else other += 1;
      const params = Array.isArray(values) ? values.length : (config && config.values?.length) || 0;
      const key = `${byHub ? 'hub' : 'other'}|${text
        .replace(/\s+/g, ' ')
        .replace(/\$\d+(?:\s*,\s*\$\d+)+/g, '$…')
        .slice(0, 110)}`;
      const s = shapes.get(key) ?? { n: 0, maxParams: 0 };
      s.n += 1;
      s.maxParams = Math.max(s.maxParams, params);
      shapes.set(key, s);
    }
    return original.call(this, config, values, ...rest);
  };
  process.on('message', async (m) => {
    if (!m || m.probe !== 'sql') return;
    if (m.gc && typeof globalThis.gc === 'function') {
      // Twice, a turn apart: what the first frees can release more once its callbacks ran.
      globalThis.gc();
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc();
    }
    const { heapUsed, external, arrayBuffers } = process.memoryUsage();
    tell({
      probeReply: m.id,
      other,
      hub,
      shapes: [...shapes],
      heapMiB: heapUsed / 2 ** 20,
      externalMiB: (external + arrayBuffers) / 2 ** 20,
    });
    if (m.reset) {
      shapes = new Map();
      other = 0;
      hub = 0;
    }
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

// ------------------------------------------------------------------ subscriber processes

/** A forked process holding a share of the subscriber sockets; driven by the parent over IPC. */
function subscriberProcess() {
  const { createClient } = require('graphql-ws');
  const WebSocket = require('ws');
  const { signToken } = require(path.join(ROOT, 'dist/src/auth/tokens.js'));
  let url;
  let queries;
  let clients = [];
  let win = null;
  let shuttingDown = false;
  const stats = { nonAddressed: 0, extra: 0, errors: 0, closedUnexpectedly: 0, samples: [] };
  const sample = (what) => {
    if (stats.samples.length < 10) stats.samples.push(what);
  };
  process.on('disconnect', () => process.exit(0));

  function sendDone() {
    const w = win;
    tell({
      type: 'done',
      k: w.k,
      first: w.first,
      last: w.last,
      managersLast: w.managersLast,
      buyersLast: w.buyersLast,
      received: w.received,
      values: w.values,
    });
  }

  function onNext(c, topic, result) {
    const t = nowMs();
    if (result.errors?.length) {
      stats.errors += 1;
      sample({ user: c.id, topic, errors: result.errors });
      return;
    }
    const data = result.data?.[topic];
    if (topic === 'pendingDisputesCount' && !c.initial) {
      c.initial = true;
      c.onInitial?.();
      return;
    }
    const expect = !win
      ? null
      : c.role === 'manager'
        ? win.managers
        : c.account === win.account
          ? win.buyers
          : null;
    if (!expect) {
      stats.nonAddressed += 1;
      sample({ nonAddressed: c.id, role: c.role, account: c.account, topic, data, k: win?.k });
      return;
    }
    if (c.win !== win.k) {
      c.win = win.k;
      c.got = {};
    }
    const got = c.got[topic] ?? 0;
    if (got >= (expect[topic] ?? 0)) {
      stats.extra += 1;
      sample({ extra: c.id, role: c.role, topic, data, k: win.k });
      return;
    }
    c.got[topic] = got + 1;
    const key =
      topic === 'pendingDisputesCount'
        ? `${c.role}:${data}`
        : topic === 'disputeChanged'
          ? `${data?.id}:${data?.status}`
          : String(data?.kind);
    win.values[topic][key] = (win.values[topic][key] ?? 0) + 1;
    win.first ??= t;
    win.last = t;
    if (c.role === 'manager') win.managersLast = t;
    else win.buyersLast = t;
    win.received += 1;
    win.remaining -= 1;
    if (win.remaining === 0) sendDone();
  }

  function connectOne(c) {
    c.initial = false;
    c.dropping = false;
    c.onClosed = undefined;
    return new Promise((resolve, reject) => {
      const started = nowMs();
      let settled = false;
      const settle = (err, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value);
      };
      const timer = setTimeout(() => settle(new Error('not acknowledged within 30 s')), 30_000);
      c.ws = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${c.token}` },
        onNonLazyError: (err) => settle(err instanceof Error ? err : new Error(describe(err))),
        on: {
          connected: () => {
            c.open = true;
            settle(null, nowMs() - started);
          },
          closed: (event) => {
            const wasOpen = c.open;
            c.open = false;
            if (!settled) settle(new Error(`closed before ack: ${describe(event)}`));
            else if (wasOpen && !shuttingDown && !c.dropping) {
              stats.closedUnexpectedly += 1;
              sample({ closed: c.id, event: describe(event) });
            }
            c.onClosed?.();
          },
        },
      });
    });
  }

  function subscribeOne(c) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${c.id}: no first pendingDisputesCount within 120 s`)),
        120_000,
      );
      c.onInitial = () => {
        clearTimeout(timer);
        resolve();
      };
      c.onClosed = () => {
        clearTimeout(timer);
        reject(new Error(`${c.id}: socket closed before the first pendingDisputesCount`));
      };
      for (const topic of c.topics) {
        c.ws.subscribe(
          { query: queries[topic] },
          {
            next: (r) => onNext(c, topic, r),
            error: (err) => {
              stats.errors += 1;
              sample({ user: c.id, topic, error: describe(err) });
            },
            complete: () => {},
          },
        );
      }
    });
  }

  async function inBatches(list, batch, run) {
    const times = [];
    const failures = [];
    for (let i = 0; i < list.length; i += batch) {
      await Promise.all(
        list.slice(i, i + batch).map((c) =>
          run(c).then(
            (ms) => typeof ms === 'number' && times.push(ms),
            (err) => failures.push(`${c.id}: ${err.message}`),
          ),
        ),
      );
    }
    return { times, failures };
  }

  const handlers = {
    async init(m) {
      url = m.url;
      queries = m.mix.queries;
      clients = await Promise.all(
        m.users.map(async (u) => ({
          ...u,
          topics: m.mix.topics[u.role],
          token: await signToken(SECRET, u.id),
          open: false,
          initial: false,
        })),
      );
      return { clients: clients.length };
    },
    async connect(m) {
      const started = nowMs();
      const { times, failures } = await inBatches(clients, m.batch, connectOne);
      return {
        ms: nowMs() - started,
        connected: times.length,
        times,
        failures: failures.length,
        failureSamples: failures.slice(0, 5),
      };
    },
    async subscribe(m) {
      const started = nowMs();
      const open = clients.filter((c) => c.open);
      const { failures } = await inBatches(open, m.batch, subscribeOne);
      return {
        ms: nowMs() - started,
        subscribed: open.length - failures.length,
        subscriptions: open.reduce((n, c) => n + c.topics.length, 0),
        failures: failures.length,
        failureSamples: failures.slice(0, 5),
      };
    },
    async expect(m) {
      win = {
        k: m.k,
        account: m.account,
        managers: m.managers,
        buyers: m.buyers,
        remaining: 0,
        received: 0,
        first: null,
        last: null,
        managersLast: null,
        buyersLast: null,
        values: { pendingDisputesCount: {}, notificationAdded: {}, disputeChanged: {} },
      };
      let recipients = 0;
      for (const c of clients) {
        if (!c.open) continue;
        const e = c.role === 'manager' ? m.managers : c.account === m.account ? m.buyers : null;
        if (!e) continue;
        recipients += 1;
        for (const t of c.topics) win.remaining += e[t] ?? 0;
      }
      if (win.remaining === 0) setImmediate(sendDone);
      return { expected: win.remaining, recipients };
    },
    async report() {
      return { missing: win ? win.remaining : 0, received: win ? win.received : 0 };
    },
    async drop(m) {
      const started = nowMs();
      const going = clients.filter((c) => (m.role === 'all' || c.role === m.role) && c.open);
      await Promise.all(
        going.map(
          (c) =>
            new Promise((resolve) => {
              c.dropping = true;
              c.onClosed = resolve;
              void c.ws.dispose();
            }),
        ),
      );
      return { closed: going.length, ms: nowMs() - started };
    },
    async stats() {
      const status = fs.readFileSync('/proc/self/status', 'utf8');
      return {
        ...stats,
        open: clients.filter((c) => c.open).length,
        rssMiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024,
      };
    },
    async shutdown() {
      shuttingDown = true;
      for (const c of clients) c.ws?.terminate();
      setTimeout(() => process.exit(0), 50);
      return {};
    },
  };

  process.on('message', (m) => {
    const handler = handlers[m.cmd];
    if (!handler) return;
    handler(m).then(
      (result) => tell({ reply: m.id, result }),
      (err) => tell({ reply: m.id, error: err.stack ?? String(err) }),
    );
  });
  tell({ ready: true });
}

/** process.send to the parent, unless it is gone (then this process is about to stop anyway). */
function tell(message) {
  if (process.connected) process.send(message, (err) => err && undefined);
}

function describe(x) {
  if (x instanceof Error) return x.message;
  if (x && typeof x === 'object' && 'code' in x) return `code ${x.code} ${x.reason ?? ''}`.trim();
  if (x && typeof x === 'object' && 'message' in x) return String(x.message);
  return String(x);
}

// ------------------------------------------------------------------ the bench (parent)

/** A forked child spoken to over IPC: request/reply by id, plus unsolicited messages. */
class Peer {
  constructor(child, name) {
    this.child = child;
    this.name = name;
    this.seq = 0;
    this.pending = new Map();
    this.listeners = new Set();
    child.on('message', (m) => {
      const id = m?.reply ?? m?.probeReply;
      if (id !== undefined && this.pending.has(id)) {
        const { resolve, reject } = this.pending.get(id);
        this.pending.delete(id);
        if (m.error) reject(new Error(`${name}: ${m.error}`));
        else resolve(m.result ?? m);
        return;
      }
      for (const l of this.listeners) l(m);
    });
    child.once('exit', (code, signal) => {
      for (const { reject } of this.pending.values())
        reject(new Error(`${name} exited (${code ?? signal}) before answering`));
      this.pending.clear();
    });
  }
  request(msg, timeoutMs = 120_000) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new Error(`${this.name}: no answer to ${msg.cmd ?? msg.probe} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...msg, id }, (err) => {
        const waiting = err && this.pending.get(id);
        if (!waiting) return;
        this.pending.delete(id);
        waiting.reject(err);
      });
    });
  }
  /** Resolves with the first unsolicited message matching `pred`, or null after `timeoutMs`. */
  waitFor(pred, timeoutMs) {
    return new Promise((resolve) => {
      const done = (v) => {
        clearTimeout(timer);
        this.listeners.delete(listen);
        resolve(v);
      };
      const listen = (m) => pred(m) && done(m);
      const timer = setTimeout(() => done(null), timeoutMs);
      this.listeners.add(listen);
    });
  }
}

/** Forks and waits for the child's first IPC message; `procs[slot]` holds the child at once. */
function forkReady(procs, slot, file, args, opts) {
  const child = fork(file, args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    ...opts,
    env: { PATH: process.env.PATH, ...opts.env },
  });
  // A send to a child that has gone is reported by the request that made it; never crash on it.
  child.on('error', () => undefined);
  if (Array.isArray(procs[slot])) procs[slot].push(child);
  else procs[slot] = child;
  child.once('exit', (code, signal) => {
    // Any child ending before the bench stops it ends the run at once.
    if (!procs.stopping)
      procs.fail(
        new Error(`${[path.basename(file), ...args].join(' ')} exited (${code ?? signal})`),
      );
  });
  return new Promise((resolve) => child.once('message', (m) => resolve({ child, info: m })));
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;
const waitExit = (child, ms) =>
  exited(child)
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });

async function stopChild(child, signal, graceMs) {
  if (!child || exited(child)) return;
  child.kill(signal);
  if (!(await waitExit(child, graceMs))) {
    child.kill('SIGKILL');
    await waitExit(child, 5_000);
  }
}

function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024,
      hwm: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024,
    };
  } catch {
    return null;
  }
}

async function gql(url, token, query, variables) {
  const t = nowMs();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms: nowMs() - t, body };
}

async function seed(pg, p) {
  const t = Date.now();
  await pg.query(
    `INSERT INTO accounts (id, name, dispute_window_hours, currency)
     SELECT ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid, 'Bench Buyer ' || a, 72, 'USD'
       FROM generate_series(0, $1 - 1) a`,
    [p.accounts],
  );
  // Buyer u belongs to account u % accounts.
  await pg.query(
    `INSERT INTO users (id, name, email, role, account_id, permissions)
     SELECT ('b1000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid, 'Buyer ' || u, 'buyer' || u || '@bench.test',
            'BUYER', ('a0000000-0000-4000-8000-' || lpad((u % $2)::text, 12, '0'))::uuid, '{DISPUTE_CALLS}'
       FROM generate_series(0, $1 - 1) u`,
    [p.buyers, p.accounts],
  );
  await pg.query(
    `INSERT INTO users (id, name, email, role, account_id, permissions)
     SELECT ('c1000000-0000-4000-8000-' || lpad(m::text, 12, '0'))::uuid, 'Manager ' || m, 'manager' || m || '@bench.test',
            'MANAGER', NULL, '{VIEW_DISPUTES}'
       FROM generate_series(0, $1 - 1) m`,
    [p.managers],
  );
  await pg.query(
    `INSERT INTO users (id, name, email, role, account_id, permissions)
     VALUES ($1, 'Bench Editor', 'editor@bench.test', 'MANAGER', NULL, '{VIEW_DISPUTES,EDIT_DISPUTES}')`,
    [EDITOR_ID],
  );
  await pg.query(
    `INSERT INTO campaigns (id, name, dispute_window_hours)
     VALUES ('c0000000-0000-4000-8000-000000000001', 'Bench Campaign', NULL)`,
  );
  // Per account: `fresh` disputable calls the events use, and 40 older calls, 10 of them with a
  // PENDING dispute, so the pending counts are not trivially small.
  await pg.query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
       payout_minor, duration_seconds, status, hangup_by)
     SELECT ('f0000000-0000-4000-8000-' || lpad((a * 1000 + j)::text, 12, '0'))::uuid,
            ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid, 'c0000000-0000-4000-8000-000000000001',
            date_trunc('milliseconds', now() - (j || ' minutes')::interval - interval '30 minutes'),
            '+1555' || lpad((a * 1000 + j)::text, 7, '0'), '+18005550000', 1500, 1500, 120,
            'COMPLETED_WITH_CONVERSION', 'CALLER'
       FROM generate_series(0, $1 - 1) a, generate_series(0, $2 - 1) j`,
    [p.accounts, p.fresh],
  );
  await pg.query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
       payout_minor, duration_seconds, status, hangup_by)
     SELECT gen_random_uuid(), ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid,
            'c0000000-0000-4000-8000-000000000001',
            date_trunc('milliseconds', now() - (j || ' hours')::interval),
            '+1666' || lpad((a * 100 + j)::text, 7, '0'), '+18005550001', 900 + j, 900 + j, 60,
            CASE WHEN j % 4 = 0 THEN 'COMPLETED_WITH_CONVERSION' ELSE 'COMPLETED_NO_CONVERSION' END, 'CALLER'
       FROM generate_series(0, $1 - 1) a, generate_series(1, 40) j`,
    [p.accounts],
  );
  await pg.query(
    `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at,
                           review_due_at)
     SELECT gen_random_uuid(), c.id, c.buyer_id, 'PENDING', 'INVALID_CALLER', c.started_at,
            ('b1000000' || substr(c.buyer_id::text, 9))::uuid, -- buyer u = a is of account a
            c.started_at + interval '5 minutes', c.started_at + interval '48 hours 5 minutes'
       FROM calls c
      WHERE c.status = 'COMPLETED_WITH_CONVERSION' AND c.caller_id LIKE '+1666%'`,
  );
  await pg.query('ANALYZE');
  return Date.now() - t;
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const int = (x) => Math.round(x).toLocaleString('en-US');

async function run(procs, tmp, p, out) {
  const { Client: Pg } = require('pg');
  const { signToken } = require(path.join(ROOT, 'dist/src/auth/tokens.js'));

  const services = await forkReady(
    procs,
    'services',
    path.join(ROOT, 'test/support/services-runner.js'),
    [tmp],
    { env: {} },
  );
  const { databaseUrl } = services.info;
  const api = await forkReady(procs, 'api', path.join(ROOT, 'dist/src/main.js'), [], {
    execArgv: [
      ...(p.sqlProbe ? ['--require', SELF, '--expose-gc'] : []),
      ...(p.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(p.profile)}`] : []),
    ],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: apiEnv(services.info, {
      // As in production: no SQL_STATS, no transaction guard (each an AsyncLocalStorage).
      NODE_ENV: 'production',
      // Every bench socket comes from 127.0.0.1.
      WS_MAX_CONNECTIONS_PER_ADDRESS: String(p.buyers + p.managers + 100),
      ...(p.sqlProbe ? { LIVE_FANOUT_ROLE: 'api-probe' } : {}),
    }),
  });
  // The API logs JSON lines at warn and above; keep a few for the report.
  const apiLogs = { warn: 0, error: 0, samples: [] };
  let partial = '';
  api.child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1]);
      if (level >= 50) apiLogs.error += 1;
      else if (level >= 40) apiLogs.warn += 1;
      if (level >= 40 && apiLogs.samples.length < 5) apiLogs.samples.push(line.slice(0, 400));
    }
  });
  const apiPeer = new Peer(api.child, 'api');
  const url = api.info.url;
  const wsUrl = url.replace(/^http/, 'ws');

  const pg = new Pg({ connectionString: databaseUrl });
  pg.on('error', () => undefined); // the database going away fails the next query instead
  await pg.connect();
  try {
    const seededMs = await seed(pg, p);

    // Subscribers: buyers then managers, dealt round-robin over the client processes.
    const users = [];
    for (let u = 0; u < p.buyers; u++)
      users.push({ id: buyerId(u), role: 'buyer', account: u % p.accounts });
    for (let m = 0; m < p.managers; m++)
      users.push({ id: managerId(m), role: 'manager', account: null });
    const shares = Array.from({ length: p.clients }, () => []);
    users.forEach((u, i) => shares[i % p.clients].push(u));
    const subs = await Promise.all(
      shares.map((share, i) =>
        forkReady(procs, 'subs', SELF, ['--subscriber-process'], { env: {} }).then(({ child }) => {
          const peer = new Peer(child, `subscribers#${i + 1}`);
          return peer
            .request({ cmd: 'init', url: wsUrl, users: share, mix: subscriptionMix(p.rich) })
            .then(() => peer);
        }),
      ),
    );
    const all = (msg, timeoutMs) => Promise.all(subs.map((s) => s.request(msg, timeoutMs)));
    const batch = Math.max(1, Math.floor(p.batch / p.clients));

    const probe = (reset, gc = false) =>
      p.sqlProbe ? apiPeer.request({ probe: 'sql', reset, gc }, 60_000) : Promise.resolve(null);
    /** The API's memory now, and the SQL statements it sent since the previous checkpoint. */
    const checkpoint = async () => {
      const sql = await probe(true, true);
      return {
        ...rssOf(api.child.pid),
        heap: sql?.heapMiB,
        external: sql?.externalMiB,
        sql: sql && sql.hub + sql.other,
      };
    };

    await sleep(1_000);
    const rssIdle = await checkpoint();

    let t = nowMs();
    const connected = await all({ cmd: 'connect', batch }, 600_000);
    const connectMs = nowMs() - t;
    const connectTimes = connected.flatMap((c) => c.times);
    const sockets = connected.reduce((n, c) => n + c.connected, 0);
    const connectFailures = connected.reduce((n, c) => n + c.failures, 0);
    if (connectFailures)
      process.stderr.write(
        `connect failures: ${JSON.stringify(connected.flatMap((c) => c.failureSamples))}\n`,
      );
    await sleep(500);
    const rssConnected = await checkpoint();

    t = nowMs();
    const subscribed = await all({ cmd: 'subscribe', batch }, 600_000);
    const subscribeMs = nowMs() - t;
    if (p.profile)
      process.stderr.write(
        `API profile: the subscribe storm: --from ${Math.round(t * 1000)} --to ${Math.round((t + subscribeMs) * 1000)}\n`,
      );
    const subscribeFailures = subscribed.reduce((n, s) => n + s.failures, 0);
    if (subscribeFailures)
      process.stderr.write(
        `subscribe failures: ${JSON.stringify(subscribed.flatMap((s) => s.failureSamples))}\n`,
      );
    const subscriptions = subscribed.reduce((n, s) => n + s.subscriptions, 0);
    // Every pendingDisputesCount has sent its first value; give the other subscription of each
    // socket (sent just before it) a moment to be registered too.
    await sleep(1_000);
    const rssSubscribed = await checkpoint();

    if (p.churn > 0) {
      // Round 1 is the set-up above; each round ends with every socket closed and a full GC.
      const rounds = [];
      for (let round = 1; round <= p.churn; round++) {
        let subscribedHeap = rssSubscribed.heap;
        if (round > 1) {
          const c = await all({ cmd: 'connect', batch }, 600_000);
          const s = await all({ cmd: 'subscribe', batch }, 600_000);
          const failed = [...c, ...s].reduce((n, x) => n + x.failures, 0);
          if (failed) throw new Error(`churn round ${round}: ${failed} failed connects/subscribes`);
          await sleep(1_000);
          subscribedHeap = (await checkpoint()).heap;
        }
        await all({ cmd: 'drop', role: 'all' }, 120_000);
        await sleep(1_000);
        const after = await checkpoint();
        rounds.push({ round, subscribedHeap, heap: after.heap, rss: after.rss });
      }
      Object.assign(out, {
        seededMs,
        sockets,
        connectFailures,
        connectMs,
        connectLatency: connectTimes.length ? summary(connectTimes) : null,
        subscribeMs,
        subscriptions,
        subscribeFailures,
        rss: { idle: rssIdle, connected: rssConnected, subscribed: rssSubscribed },
        subStats: await all({ cmd: 'stats' }),
        apiLogs,
        churn: rounds,
        batch: batch * p.clients,
      });
      return;
    }

    const buyerTokens = new Map();
    const tokenOf = async (id) => {
      if (!buyerTokens.has(id)) buyerTokens.set(id, await signToken(SECRET, id));
      return buyerTokens.get(id);
    };
    const editorToken = await signToken(SECRET, EDITOR_ID);
    const create = `mutation($callId: ID!) { createDispute(input: { callId: $callId, reason: INVALID_CALLER, additionalInfo: "bench" }) { id status } }`;
    const resolve = `mutation($id: ID!, $outcome: DisputeStatus!) { resolveDispute(input: { disputeId: $id, outcome: $outcome }) { id status } }`;

    const results = [];
    const usedCalls = new Map();
    let k = 0;
    let pair = 0;
    async function event(phase, kind, account, managersOn, target) {
      k += 1;
      const buyersExpect =
        kind === 'create'
          ? { pendingDisputesCount: 1 }
          : { pendingDisputesCount: 1, notificationAdded: 1 };
      const managersExpect = !managersOn
        ? null
        : kind === 'create'
          ? { pendingDisputesCount: 1, disputeChanged: 1, notificationAdded: 1 } // if subscribed
          : { pendingDisputesCount: 1, disputeChanged: 1 };
      await probe(true);
      const dones = subs.map((s) =>
        s.waitFor((m) => m.type === 'done' && m.k === k, p.eventTimeout),
      );
      const acks = await all({
        cmd: 'expect',
        k,
        account,
        managers: managersExpect,
        buyers: buyersExpect,
      });
      const expected = acks.reduce((n, a) => n + a.expected, 0);
      const recipients = acks.reduce((n, a) => n + a.recipients, 0);

      const t0 = nowMs();
      const r =
        kind === 'create'
          ? await gql(url, await tokenOf(target.creator), create, { callId: target.callId })
          : await gql(url, editorToken, resolve, { id: target.disputeId, outcome: target.outcome });
      const responded = nowMs() - t0;
      const dispute = r.body.data[kind === 'create' ? 'createDispute' : 'resolveDispute'];
      const reports = await Promise.all(dones);
      const complete = reports.every(Boolean);
      let missing = 0;
      if (!complete) missing = (await all({ cmd: 'report' })).reduce((n, x) => n + x.missing, 0);
      const got = reports.filter(Boolean);
      const lastOf = (field) => {
        const xs = got.map((g) => g[field]).filter((x) => x !== null);
        return xs.length ? Math.max(...xs) - t0 : NaN;
      };
      const firsts = got.map((g) => g.first).filter((x) => x !== null);
      const sql = await probe(false);

      // Check every value received against the database.
      const { rows } = await pg.query(
        `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS total,
                count(*) FILTER (WHERE status = 'PENDING' AND buyer_id = $1)::int AS account
           FROM disputes`,
        [accountId(account)],
      );
      const want = {
        pendingDisputesCount: [`manager:${rows[0].total}`, `buyer:${rows[0].account}`],
        disputeChanged: [`${dispute.id}:${dispute.status}`],
        notificationAdded: [kind === 'create' ? 'DISPUTE_CREATED' : 'DISPUTE_RESOLVED'],
      };
      let wrong = 0;
      for (const g of got) {
        for (const [topic, values] of Object.entries(g.values)) {
          for (const [value, n] of Object.entries(values)) {
            if (!want[topic].includes(value)) {
              wrong += n;
              if (!out.wrongSample) out.wrongSample = { k, topic, value, want: want[topic] };
            }
          }
        }
      }
      results.push({
        phase,
        kind,
        account,
        recipients,
        expected,
        received: got.reduce((n, g) => n + g.received, 0),
        missing,
        wrong,
        mutationMs: r.ms,
        firstMs: firsts.length ? Math.min(...firsts) - t0 : NaN,
        allMs: complete ? lastOf('last') : NaN,
        // The targets count from the mutation's response (NOTIFY fires at commit, a little before).
        afterResponseMs: complete ? lastOf('last') - responded : NaN,
        managersMs: lastOf('managersLast'),
        buyersMs: lastOf('buyersLast'),
        probe: sql,
      });
      await sleep(p.pause);
      return dispute;
    }

    async function pairs(phase, count, managersOn) {
      for (let i = 0; i < count; i++, pair++) {
        const account = (pair * 37) % p.accounts;
        const j = usedCalls.get(account) ?? 0;
        usedCalls.set(account, j + 1);
        // A different buyer user of the account each time: buyer u is of account u % accounts.
        const ofAccount = Math.floor((p.buyers - 1 - account) / p.accounts) + 1;
        const created = await event(phase, 'create', account, managersOn, {
          creator: buyerId(account + p.accounts * (pair % ofAccount)),
          callId: freshCallId(account, j),
        });
        await event(phase, 'resolve', account, managersOn, {
          disputeId: created.id,
          outcome: pair % 2 ? 'ACCEPTED' : 'REJECTED',
        });
      }
    }

    const eventsFrom = nowMs();
    await pairs('all', p.pairsAll, true);
    const dropped = await all({ cmd: 'drop', role: 'manager' });
    await sleep(1_000);
    await pairs('buyers', p.pairsBuyers, false);
    if (p.profile)
      process.stderr.write(
        `API profile in ${p.profile}; the events: --from ${Math.round(eventsFrom * 1000)} --to ${Math.round(nowMs() * 1000)}\n`,
      );

    await sleep(500);
    const rssAfter = await checkpoint();
    const subStats = await all({ cmd: 'stats' });

    Object.assign(out, {
      seededMs,
      sockets,
      connectFailures,
      connectMs,
      connectLatency: connectTimes.length ? summary(connectTimes) : null,
      subscribeMs,
      subscriptions,
      subscribeFailures,
      dropped: {
        closed: dropped.reduce((n, d) => n + d.closed, 0),
        ms: Math.max(...dropped.map((d) => d.ms)),
      },
      rss: { idle: rssIdle, connected: rssConnected, subscribed: rssSubscribed, after: rssAfter },
      subStats,
      apiLogs,
      results,
      batch: batch * p.clients,
    });
  } finally {
    await pg.end().catch(() => undefined);
  }
}

/** Heap per socket after a full GC: what `sockets` connected (and subscribed) sockets add to idle. */
function heapPerSocket(o) {
  const per = (x) =>
    x?.heap !== undefined && o.rss.idle?.heap !== undefined
      ? `${(((x.heap - o.rss.idle.heap) * 1024) / o.sockets).toFixed(1)} KiB`
      : 'n/a';
  return `API heap after a full GC, per socket over idle: connected ${per(o.rss.connected)}, with its subscriptions ${per(o.rss.subscribed)}.`;
}

function setupLines(o) {
  return [
    '| set-up | time |',
    '|---|---:|',
    `| Connect ${int(o.sockets)} sockets, ${o.batch} at a time (graphql-ws connection_ack) | ${(o.connectMs / 1000).toFixed(1)} s` +
      (o.connectLatency
        ? ` (per socket p50 ${fmt(o.connectLatency.p50)} ms, p95 ${fmt(o.connectLatency.p95)} ms, max ${fmt(o.connectLatency.max)} ms)`
        : '') +
      ` |`,
    `| Subscribe ${int(o.subscriptions)}, until every pendingDisputesCount sent its first value | ${(o.subscribeMs / 1000).toFixed(1)} s |`,
    ...(o.rss.connected?.sql !== undefined && o.rss.connected.sql !== null
      ? [
          `| SQL statements the API sent while connecting / subscribing | ${int(o.rss.connected.sql)} / ${int(o.rss.subscribed.sql)} |`,
        ]
      : []),
  ];
}

function churnReport(p, o) {
  const first = o.churn[0].heap;
  const worst = Math.max(...o.churn.map((r) => Math.abs(r.heap - first) / first));
  return [
    `Command: \`${['node bench/live-fanout.js', ...process.argv.slice(2)].join(' ')}\` ` +
      `(${os.cpus().length} cores, Node ${process.version}, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} at the end).`,
    `${int(o.sockets)} sockets, ${int(o.subscriptions)} subscriptions per round, ${p.churn} rounds.`,
    '',
    ...setupLines(o),
    '',
    heapPerSocket(o),
    '',
    '| round | heap subscribed MiB | heap after dropping all, full GC MiB | RSS MiB |',
    '|---:|---:|---:|---:|',
    ...o.churn.map(
      (r) => `| ${r.round} | ${fmt(r.subscribedHeap)} | ${fmt(r.heap)} | ${fmt(r.rss, 0)} |`,
    ),
    '',
    `Idle heap before round 1: ${fmt(o.rss.idle.heap)} MiB. Largest difference from round 1 after dropping: ${(worst * 100).toFixed(1)} %.`,
    `Failed connects/subscribes in round 1: ${o.connectFailures}/${o.subscribeFailures}; API log lines at warn/error: ${o.apiLogs.warn}/${o.apiLogs.error}.`,
  ].join('\n');
}

/** What went wrong in delivery, summed over the subscriber processes and the events. */
function deliveryFaults(o) {
  const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
  return {
    nonAddressed: sum(o.subStats, (s) => s.nonAddressed),
    extra: sum(o.subStats, (s) => s.extra),
    errors: sum(o.subStats, (s) => s.errors),
    closed: sum(o.subStats, (s) => s.closedUnexpectedly),
    missing: sum(o.results, (r) => r.missing),
    wrong: sum(o.results, (r) => r.wrong),
    timedOut: o.results.filter((r) => !Number.isFinite(r.allMs)).length,
  };
}

/** The run's figures for bench/all.js's table of targets (bench/figures.js). */
function recordFigures(o) {
  const finite = (xs) => xs.filter(Number.isFinite);
  const who = `${int(o.sockets)} sockets, ${int(o.subscriptions)} subscriptions`;
  if (o.subscriptions === 20_000) record('live:subscribe', o.subscribeMs / 1000, who);
  if (o.rss.subscribed?.heap !== undefined && o.rss.idle?.heap !== undefined)
    record('live:heap', ((o.rss.subscribed.heap - o.rss.idle.heap) * 1024) / o.sockets, who);
  const targeted = o.results.filter((r) => r.phase === 'buyers');
  const p99 = (kind) =>
    summary(finite(targeted.filter((r) => r.kind === kind).map((r) => r.afterResponseMs))).p99;
  if (targeted.length)
    record(
      'live:targeted',
      Math.max(p99('create'), p99('resolve')),
      'managers disconnected, creates and resolves',
    );
  const f = deliveryFaults(o);
  const wrong = f.nonAddressed + f.extra + f.missing + f.wrong + f.timedOut;
  record('live:misaddressed', wrong, `${o.results.length} events, ${who}`);
}

function report(p, o) {
  if (o.churn) return churnReport(p, o);
  const rows = [
    ['all', 'create', `createDispute, everyone subscribed`],
    ['all', 'resolve', `resolveDispute, everyone subscribed`],
    ['buyers', 'create', `createDispute, managers disconnected`],
    ['buyers', 'resolve', `resolveDispute, managers disconnected`],
  ];
  const group = (phase, kind) => o.results.filter((r) => r.phase === phase && r.kind === kind);
  const finite = (xs) => xs.filter(Number.isFinite);
  const sqlOf = (rs) => {
    const withProbe = rs.filter((r) => r.probe);
    if (!withProbe.length) return 'n/a';
    const med = (f) => pct(withProbe.map(f), 50);
    return `${med((r) => r.probe.other)} / ${med((r) => r.probe.hub)}`;
  };
  const table = rows
    .map(([phase, kind, label]) => {
      const rs = group(phase, kind);
      if (!rs.length) return null;
      const all = summary(finite(rs.map((r) => r.allMs)));
      const after = summary(finite(rs.map((r) => r.afterResponseMs)));
      return `| ${label} | ${rs.length} | ${int(
        pct(
          rs.map((r) => r.recipients),
          50,
        ),
      )} (${int(
        pct(
          rs.map((r) => r.expected),
          50,
        ),
      )}) | ${fmt(
        pct(
          rs.map((r) => r.mutationMs),
          50,
        ),
      )} | ${fmt(pct(finite(rs.map((r) => r.firstMs)), 50))} | ${fmt(all.p50)} | ${fmt(all.p95)} | ${fmt(all.p99)} | ${fmt(all.max)} | ${fmt(after.p50)} / ${fmt(after.p99)} | ${fmt(pct(finite(rs.map((r) => r.buyersMs)), 50))} | ${phase === 'all' ? fmt(pct(finite(rs.map((r) => r.managersMs)), 50)) : '–'} | ${sqlOf(rs)} |`;
    })
    .filter(Boolean);

  const p50 = (phase, kind) => pct(finite(group(phase, kind).map((r) => r.allMs)), 50);
  const ratio = (kind) => (p50('all', kind) / p50('buyers', kind)).toFixed(1);
  const msgs = (phase, kind) =>
    pct(
      group(phase, kind).map((r) => r.expected),
      50,
    );
  const perMessageUs = (kind) =>
    ((p50('all', kind) - p50('buyers', kind)) / (msgs('all', kind) - msgs('buyers', kind))) * 1000;

  const { nonAddressed, extra, errors, closed, missing, wrong, timedOut } = deliveryFaults(o);
  const mib = (x) =>
    x
      ? `${x.rss.toFixed(0)} MiB${x.heap !== undefined ? ` (JS heap ${x.heap.toFixed(0)}, buffers ${x.external.toFixed(0)})` : ''}`
      : 'n/a';
  const perSub =
    o.rss.subscribed && o.rss.idle
      ? `${(((o.rss.subscribed.rss - o.rss.idle.rss) * 1024) / o.sockets).toFixed(1)} KiB`
      : 'n/a';

  // The live hub's statements of one event of each kind (all subscribed), from the probe.
  const shapes = (kind) => {
    const r = group('all', kind).find((x) => x.probe);
    if (!r) return null;
    const hub = r.probe.shapes
      .filter(([key]) => key.startsWith('hub|'))
      .map(([key, s]) => {
        const text = key.slice('hub|'.length);
        const from = text.indexOf(' FROM ');
        const what = `${text.startsWith('SELECT COUNT') ? 'SELECT COUNT(1)' : 'SELECT …'}${text.slice(from, from + 95)}`;
        return `${s.n}× \`${from > 0 ? what : text.slice(0, 60)}…\`${s.maxParams > 2 ? ` (${s.maxParams} parameters)` : ''}`;
      });
    return `- live hub, one ${kind} (event #${o.results.indexOf(r) + 1}): ${hub.join('; ')}`;
  };

  const mix = subscriptionMix(p.rich);
  const on = (role) =>
    mix.topics[role]
      .map((t) => `\`${mix.queries[t].slice('subscription { '.length, -2)}\``)
      .join(' + ');
  const lines = [
    `Command: \`${['node bench/live-fanout.js', ...process.argv.slice(2)].join(' ')}\` ` +
      `(${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} at the end).`,
    `Subscribers: ${int(o.sockets)} sockets of ${int(p.buyers + p.managers)} (${int(p.buyers)} buyer users over ${p.accounts} accounts, ` +
      `${int(p.buyers / p.accounts)} per account, on ${on('buyer')}; ` +
      `${int(p.managers)} managers with VIEW_DISPUTES on ${on('manager')}), ` +
      `${int(o.subscriptions)} subscriptions, in ${p.clients} client processes. Seeded in ${(o.seededMs / 1000).toFixed(1)} s.`,
    '',
    ...setupLines(o),
    `| Close the ${int(o.dropped.closed)} manager sockets | ${(o.dropped.ms / 1000).toFixed(1)} s |`,
    '',
    'Delivery: from sending the mutation until the last addressed subscriber has its message (ms).',
    '',
    '| event | n | recipients (messages) | mutation p50 | first msg p50 | all delivered p50 | p95 | p99 | max | after the response p50 / p99 | last buyer p50 | last manager p50 | SQL per event: request / live hub |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...table,
    '',
    `Fan-out ratio (all delivered, p50): ~${int(
      pct(
        group('all', 'create').map((r) => r.recipients),
        50,
      ),
    )} vs ~${int(
      pct(
        group('buyers', 'create').map((r) => r.recipients),
        50,
      ),
    )} recipients = ` +
      `${ratio('create')}× for creates, ${ratio('resolve')}× for resolves; ` +
      `≈ ${fmt(perMessageUs('create'), 0)} / ${fmt(perMessageUs('resolve'), 0)} µs per extra message delivered.`,
    `Messages to non-addressed subscribers: ${nonAddressed}; extra messages to addressed ones: ${extra}; ` +
      `missing: ${missing}; events timed out (${p.eventTimeout / 1000} s): ${timedOut}; values differing from the database: ${wrong}; ` +
      `subscription errors: ${errors}; sockets closed by the server: ${closed}; failed connects/subscribes: ${o.connectFailures}/${o.subscribeFailures}.`,
    `API resident memory: idle ${mib(o.rss.idle)}; ${int(o.sockets)} sockets connected ${mib(o.rss.connected)}; ` +
      `all subscribed ${mib(o.rss.subscribed)} (≈ ${perSub} per subscriber); after the run ${mib(o.rss.after)} ` +
      `(peak ${o.rss.subscribed ? o.rss.subscribed.hwm.toFixed(0) : 'n/a'} MiB by the end of subscribing, ${o.rss.after ? o.rss.after.hwm.toFixed(0) : 'n/a'} MiB by the end). ` +
      `Client processes: ${o.subStats.map((s) => `${s.rssMiB.toFixed(0)} MiB`).join(', ')}.`,
    heapPerSocket(o),
    `API log lines at warn/error: ${o.apiLogs.warn}/${o.apiLogs.error}.`,
  ];
  const s1 = shapes('create');
  const s2 = shapes('resolve');
  if (s1 || s2) lines.push('', ...[s1, s2].filter(Boolean));
  return lines.join('\n');
}

async function main() {
  const subscribers = arg('sockets', arg('subscribers', 10_000));
  const managers = arg('managers', Math.round(subscribers / 10));
  const events = arg('events', 50);
  const eventsBuyers = arg('events-buyers-only', 20);
  const p = {
    managers,
    buyers: subscribers - managers,
    accounts: Math.min(arg('accounts', 100), Math.max(1, subscribers - managers)),
    pairsAll: Math.max(1, Math.ceil(events / 2)),
    pairsBuyers: Math.max(0, Math.ceil(eventsBuyers / 2)),
    batch: arg('batch', 200),
    clients: Math.max(1, arg('clients', 2)),
    pause: arg('pause', 100),
    eventTimeout: arg('event-timeout', 20) * 1000,
    timeout: arg('timeout', 300) * 1000,
    sqlProbe: !flag('no-sql-probe'),
    rich: flag('rich'),
    churn: arg('churn', 0),
    profile: process.argv.includes('--profile')
      ? process.argv[process.argv.indexOf('--profile') + 1]
      : null,
  };
  p.fresh = Math.ceil((p.pairsAll + p.pairsBuyers) / p.accounts) + 1;
  if (p.buyers < 1 || p.managers < 0) throw new Error('--subscribers must exceed --managers');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-live-bench-'));
  fs.chmodSync(tmp, 0o755);
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  const procs = { services: null, api: null, subs: [], stopping: false, fail };
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      procs.stopping = true;
      await Promise.all(procs.subs.map((c) => stopChild(c, 'SIGTERM', 5_000)));
      await stopChild(procs.api, 'SIGTERM', 20_000);
      const servicesStopped = procs.services
        ? await (async () => {
            if (exited(procs.services)) return true;
            procs.services.kill('SIGTERM');
            return waitExit(procs.services, 20_000);
          })()
        : true;
      if (!servicesStopped) {
        // The runner did not stop its PostgreSQL: stop that postmaster (ours, by its pid file).
        procs.services.kill('SIGKILL');
        try {
          const pid = Number(
            fs.readFileSync(path.join(tmp, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
          );
          if (pid > 0) process.kill(pid, 'SIGINT');
          await sleep(3_000);
        } catch {
          // no pid file: nothing left running
        }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    })());
  // Whatever fails, and however late (the run goes on in the background after the time limit),
  // the children are stopped and the folder removed before this process ends.
  for (const event of ['uncaughtException', 'unhandledRejection']) {
    process.on(event, (err) => {
      process.stderr.write(`${event}: ${err?.stack ?? err}\n`);
      void cleanup().then(() => process.exit(1));
    });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`${signal}: stopping\n`);
      void cleanup().then(() => process.exit(130));
    });
  }

  const out = {};
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`stopped after the time limit of ${p.timeout / 1000} s`)),
      p.timeout,
    );
  });
  try {
    const running = run(procs, tmp, p, out);
    running.catch(() => undefined); // reported by the race; after the time limit it is moot
    await Promise.race([running, limit, failed]);
    if (!out.churn) recordFigures(out);
    process.stdout.write(`${report(p, out)}\n`);
    if (out.wrongSample)
      process.stderr.write(`first wrong value: ${JSON.stringify(out.wrongSample)}\n`);
    const samples = out.subStats.flatMap((s) => s.samples).slice(0, 5);
    if (samples.length) process.stderr.write(`subscriber samples: ${JSON.stringify(samples)}\n`);
    if (out.apiLogs.samples.length)
      process.stderr.write(`API log samples:\n${out.apiLogs.samples.join('\n')}\n`);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

if (process.env.LIVE_FANOUT_ROLE === 'api-probe') {
  installApiProbe();
} else if (process.argv[2] === '--subscriber-process') {
  subscriberProcess();
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    },
  );
}
