// `npm run bench:desk`: the desk's features (contract rules 18–20) in production mode, each as a
// ratio of a baseline measured side by side in the same run:
// 1. Exports. A manager's Disputes export of 100,000 disputes (the Disputes page's default order,
//    the manager's default columns): rows per second from the exportDisputes mutation to the
//    export's row being DONE (its file in the object store), against PostgreSQL's own
//    `COPY (the page's SELECT of those columns, same rows, same order) TO STDOUT (FORMAT csv)`
//    on the same database, alternating which goes first, several rounds, ratio of the medians.
//    Beside it, COPY of the export's own lines (the same SQL formatting, what the start writes),
//    and the file checked byte for byte against it once. Then the API's resident memory above
//    idle (VmRSS every 50 ms) during that export and during a manager's Call Log export of every
//    seeded call (1,000,000; --quick: 250,000).
// 2. Table settings: Viewer.tableSettings and saveTableSettings (with expectedVersion, each
//    request for a user of its own, its stored version read before each run) under load, the
//    API against the hand-written twin (bench/twin-server.js with bench/desk-twin.js) doing the
//    same SQL, byte-identical answers checked before timing.
// 3. reopenDispute against the twin's hand-written transaction (same locks, the same writes: the
//    dispute, the call's payout, the history row, the notifications, the webhook outbox and the
//    live NOTIFY), each request reopening a decided dispute of its own.
// The writes' webhook endpoint (the writer's account, dispute.reopened) points at a loopback
// server that never answers, and the API runs with WEBHOOK_CONCURRENCY=1: the outbox rows are
// written as in production, while delivery (not part of the transaction, and the twin has none)
// holds one attempt at a time. With --profile the API runs under `node --cpu-prof` (one round,
// API only) and the profile is summarised per phase. Bounded in count and time; loopback only.
// Usage: npm run bench:desk [-- --quick | --profile] [--disputes 100000 --calls 1000000
//   --export-rounds 3 --seconds 10 --rounds 3 --connections 32 --write-connections 16
//   --users 2000]
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { setInterval, clearInterval } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { Client: Pg } = require('pg');
const { to: copyTo } = require('pg-copy-streams');
const { summariseProfile, profileLines } = require('./profile-summary');
const { seedScale } = require('./scale-seed');
const { deskUserId, seedDeskUsers, reopenableId, seedReopenable } = require('./seed');
const {
  MANAGER,
  WRITER,
  WRITER_ACCOUNT,
  TABLE_SETTINGS,
  SAVE_TABLE_SETTINGS,
  REOPEN_DISPUTE,
} = require('./pages');
const {
  ROOT,
  SECRET,
  flag,
  arg,
  log,
  median,
  forkReady,
  stop,
  startServices,
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
} = require('./support');

const QUICK = flag('quick');
const PROFILE = flag('profile');
const DISPUTES = arg('disputes', 100_000);
/** Calls seeded: 2 in 5 convert, so 100,000 disputes need 250,000 of them. */
const CALLS = Math.max(arg('calls', QUICK ? 250_000 : 1_000_000), 2.5 * DISPUTES);
const EXPORT_ROUNDS = arg('export-rounds', PROFILE ? 1 : QUICK ? 2 : 3);
const SECONDS = arg('seconds', QUICK ? 3 : 10);
const WARMUP_SECONDS = arg('warmup', QUICK ? 1 : 2);
const ROUNDS = arg('rounds', PROFILE ? 1 : QUICK ? 2 : 3);
const CONNECTIONS = arg('connections', 32);
const WRITE_CONNECTIONS = arg('write-connections', 16);
/** Users with saved settings: far more than connections, so a user's saves never overlap. */
const USERS = arg('users', 2000);
/** Decided disputes per server: more than either can reopen in the time it gets. */
const REOPENS_PER_SERVER = arg('reopens-per-server', 1500 * (ROUNDS * SECONDS + WARMUP_SECONDS));
/** The manager's default columns of each table (rule 18): what the pages show. */
const { DEFAULT_COLUMNS } = require(path.join(ROOT, 'dist/src/settings/table-settings-rules.js'));

/**
 * What a page reads to show a column, as stored (money with its account's currency): the SELECT
 * of the COPY baseline. `d` and `a` are the dispute and account aliases (no dispute: the Call Log).
 */
function pageValues(column, { d, a }) {
  const values = {
    STATUS: d ? `${d}.status` : 'c.status',
    CALL_DATE: 'c.started_at',
    BUYER: `${a}.name`,
    CALLER_ID: 'c.caller_id',
    DESTINATION: 'c.destination',
    PAYOUT: `c.payout_minor, ${a}.currency`,
    REASON: `${d}.reason`,
    RECORDING: 'c.recording_key IS NOT NULL',
    DURATION: 'c.duration_seconds',
  }[column];
  if (!values) throw new Error(`bench/desk.js has no page value for ${column}`);
  return values;
}

/** Each export: the manager's default columns, and the page's FROM and order (src/disputes/dispute-queries.ts, src/calls/call.service.ts). */
const EXPORTS = Object.fromEntries(
  [
    {
      key: 'disputes',
      table: 'DISPUTES',
      field: 'exportDisputes',
      aliases: { d: 'd', a: 'a' },
      from: `disputes d
        JOIN calls c ON c.id = d.call_id
        JOIN accounts a ON a.id = d.buyer_id
        JOIN campaigns cp ON cp.id = c.campaign_id`,
      order: '(-d.status_rank) DESC, d.created_at DESC, d.id DESC',
    },
    {
      key: 'calls',
      table: 'CALL_LOG',
      field: 'exportCalls',
      aliases: { d: null, a: 'acc' },
      from: `calls c
        JOIN accounts acc ON acc.id = c.buyer_id
        JOIN campaigns camp ON camp.id = c.campaign_id`,
      order: 'c.started_at DESC, c.id DESC',
    },
  ].map((e) => {
    const columns = DEFAULT_COLUMNS[e.table].MANAGER;
    const values = columns.map((c) => pageValues(c, e.aliases)).join(', ');
    return [
      e.key,
      {
        ...e,
        columns,
        mutation: `mutation Export($columns: [TableColumn!]) {
          ${e.field}(input: { columns: $columns }) { id status totalRows } }`,
        pageSql: `SELECT ${values} FROM ${e.from} ORDER BY ${e.order}`,
      },
    ];
  }),
);
/** The save every settings request sends, for its own user at its stored version. */
const SAVED = {
  table: 'DISPUTES',
  columns: ['CALL_DATE', 'STATUS', 'PAYOUT', 'ORIGINAL_PAYOUT', 'REASON', 'DECISION', 'ADJUSTMENT'],
  pageSize: 50,
  disputeOrder: { field: 'CREATED_AT', direction: 'DESC' },
};

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

// ------------------------------------------------------------------ exports

/** The export's own lines as SQL (src/exports/export-columns.ts), for the manager. */
function exportLineSql(which) {
  const { lineSql, headerLine } = require(path.join(ROOT, 'dist/src/exports/export-columns.js'));
  const e = EXPORTS[which];
  const viewer = {
    id: MANAGER,
    role: 'MANAGER',
    accountId: null,
    permissions: new Set(['VIEW_DISPUTES', 'EDIT_DISPUTES']),
  };
  const bind = () => {
    throw new Error('COPY takes no parameters: pick columns that need none');
  };
  const line = lineSql(e.table, e.columns, viewer, new Date(), bind);
  return {
    sql: `SELECT ${line} FROM ${e.from} ORDER BY ${e.order}`,
    header: headerLine(e.columns),
  };
}

/** The API's VmRSS every `everyMs` until stopped: the samples in MiB. */
function sampleRss(pid, everyMs = 50) {
  const samples = [rssMiB(pid)];
  const timer = setInterval(() => samples.push(rssMiB(pid)), everyMs);
  return () => {
    clearInterval(timer);
    samples.push(rssMiB(pid));
    return samples;
  };
}

/** COPY … TO STDOUT, the output counted (and kept, when asked); rows, seconds and CPU. */
async function copyOut(ctx, sql, { keep = false, format = '(FORMAT csv)' } = {}) {
  const chunks = [];
  let bytes = 0;
  const pg0 = pgCpuMs(ctx.dir);
  const t0 = process.hrtime.bigint();
  const stream = ctx.pg.query(copyTo(`COPY (${sql}) TO STDOUT ${format}`));
  await pipeline(
    stream,
    new Writable({
      write(chunk, _enc, done) {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
        done();
      },
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    rows: stream.rowCount,
    bytes,
    seconds,
    rps: stream.rowCount / seconds,
    pgCpuS: (pgCpuMs(ctx.dir) - pg0) / 1000,
    text: keep ? Buffer.concat(chunks).toString('utf8') : undefined,
  };
}

/**
 * One export through the API, from the mutation to its row DONE (finished_at, stamped by the
 * statement that marks it), with the API's VmRSS sampled all along; then, outside the timing,
 * until its lines are deleted, and VACUUM, so no round inherits another's dead rows.
 */
async function exportOnce(ctx, which, { file = false } = {}) {
  const { pg, api } = ctx;
  const e = EXPORTS[which];
  const idleSamples = sampleRss(api.pid);
  await sleep(1000);
  const idleMiB = median(idleSamples());
  const stopRss = sampleRss(api.pid);
  const cpu0 = cpuMs(api.pid);
  const pg0 = pgCpuMs(ctx.dir);
  const store0 = cpuMs(ctx.storePid);
  const from = nowUs();
  const t0 = Date.now();
  const answer = await post(
    api.url,
    ctx.tokens[MANAGER],
    JSON.stringify({ query: e.mutation, variables: { columns: e.columns } }),
  );
  const answeredMs = Date.now() - t0;
  const started = JSON.parse(answer.text).data?.[e.field];
  if (!started) throw new Error(`the export did not start: ${answer.text.slice(0, 500)}`);
  let row;
  for (const deadline = Date.now() + 15 * 60_000; ;) {
    [row] = (
      await pg.query(
        `SELECT status, total_rows, rows_written, error,
                (extract(epoch FROM finished_at) * 1000)::float8 AS finished_ms
           FROM exports WHERE id = $1`,
        [started.id],
      )
    ).rows;
    if (row.status !== 'RUNNING') break;
    if (Date.now() > deadline) throw new Error(`export ${started.id} still RUNNING`);
    await sleep(25);
  }
  const samples = stopRss();
  const to = nowUs();
  if (row.status !== 'DONE') throw new Error(`export ${started.id} ${row.status}: ${row.error}`);
  const out = {
    rows: row.total_rows,
    seconds: (row.finished_ms - t0) / 1000,
    startS: answeredMs / 1000,
    idleMiB,
    peakMiB: Math.max(...samples),
    samples: samples.length,
    apiCpuS: (cpuMs(api.pid) - cpu0) / 1000,
    pgCpuS: (pgCpuMs(ctx.dir) - pg0) / 1000,
    storeCpuS: (cpuMs(ctx.storePid) - store0) / 1000,
    window: [from, to],
  };
  out.rps = out.rows / out.seconds;
  out.growthMiB = out.peakMiB - idleMiB;
  if (file) {
    const q = JSON.stringify({
      query: `query($id: ID!) { export(id: $id) { url } }`,
      variables: { id: started.id },
    });
    const { url } = JSON.parse((await post(api.url, ctx.tokens[MANAGER], q)).text).data.export;
    // As bytes: a text decoder would drop the byte-order mark.
    out.file = Buffer.from(await (await fetch(url)).arrayBuffer()).toString('utf8');
  }
  for (;;) {
    const { rowCount } = await pg.query('SELECT 1 FROM export_lines WHERE export_id = $1 LIMIT 1', [
      started.id,
    ]);
    if (!rowCount) break;
    await sleep(50);
  }
  await pg.query('VACUUM export_lines, exports');
  return out;
}

/**
 * The Disputes export against COPY of the page's SELECT, rounds alternating which goes first;
 * COPY of the export's own lines beside them, and in the first round the file checked against
 * those lines byte for byte.
 */
async function exportRounds(ctx, windows) {
  const lines = exportLineSql('disputes');
  const runs = { api: [], copy: [], lines: [] };
  log('export warm-up');
  const warm = await exportOnce(ctx, 'disputes');
  await copyOut(ctx, EXPORTS.disputes.pageSql);
  for (let round = 0; round < EXPORT_ROUNDS; round++) {
    const order = round % 2 === 0 ? ['api', 'copy', 'lines'] : ['lines', 'copy', 'api'];
    for (const side of order) {
      if (PROFILE && side !== 'api') continue;
      let r;
      if (side === 'api') {
        r = await exportOnce(ctx, 'disputes', { file: round === 0 });
        (windows['export (100k disputes)'] ??= []).push(r.window);
        if (r.file !== undefined) {
          const copied = await copyOut(ctx, lines.sql, { keep: true, format: '' });
          const expected = `\ufeff${lines.header}\r\n${copied.text.replace(/\n/g, '\r\n')}`;
          if (r.file !== expected)
            throw new Error(
              `the export's file differs from its lines ${firstDifference(r.file, expected)}`,
            );
          log(`the export's file is byte for byte its ${copied.rows} lines as COPY writes them`);
          delete r.file;
        }
      } else {
        r = await copyOut(ctx, side === 'copy' ? EXPORTS.disputes.pageSql : lines.sql, {
          format: side === 'copy' ? '(FORMAT csv)' : '',
        });
      }
      if (r.rows !== DISPUTES)
        throw new Error(`${side} wrote ${r.rows} rows, not the ${DISPUTES} disputes seeded`);
      runs[side].push(r);
      log(
        `round ${round + 1} ${side}: ${Math.round(r.rps)} rows/s (${r.seconds.toFixed(2)} s)${
          side === 'api'
            ? `, start ${r.startS.toFixed(2)} s, RSS +${r.growthMiB.toFixed(1)} MiB over ${r.idleMiB.toFixed(0)}`
            : ''
        }`,
      );
    }
  }
  return { warm, runs };
}

// ------------------------------------------------------------------ settings and reopening

/** A load run against one server, with its CPU per request. */
async function timedLoad(loader, server, job) {
  const cpu0 = cpuMs(server.pid);
  const r = await loader.run({ url: server.url, ...job });
  r.cpuMsPerRequest = (cpuMs(server.pid) - cpu0) / r.requests;
  if (r.non2xx || r.errors || r.graphqlErrors)
    throw new Error(`${server.name} failed under load: ${JSON.stringify(r)}`);
  return r;
}

/**
 * Warm-up for each server, then rounds alternating which goes first. `jobFor(side)` makes each
 * run's job (it may read the database first); `after(side, r)` sees each run, warm-up included.
 */
async function sideBySide(ctx, key, jobFor, after = () => undefined) {
  const runs = { api: [], twin: [] };
  for (const side of ['api', 'twin']) {
    if (PROFILE && side === 'twin') continue;
    after(
      side,
      await timedLoad(ctx.loader, ctx.servers[side], {
        ...(await jobFor(side)),
        seconds: WARMUP_SECONDS,
      }),
    );
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? ['api', 'twin'] : ['twin', 'api']) {
      if (PROFILE && side === 'twin') continue;
      const job = { ...(await jobFor(side)), seconds: SECONDS };
      const from = nowUs();
      const r = await timedLoad(ctx.loader, ctx.servers[side], job);
      if (side === 'api') (ctx.windows[key] ??= []).push([from, nowUs()]);
      after(side, r);
      runs[side].push(r);
      log(
        `round ${round + 1} ${key} ${side}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuMsPerRequest.toFixed(2)} ms CPU/req`,
      );
    }
  }
  return runs;
}

/** Each desk user's save at its stored version (read after the last run's requests landed). */
async function saveItems(ctx) {
  await sleep(500);
  const { rows } = await ctx.pg.query(
    `SELECT user_id, version FROM table_settings WHERE table_name = 'DISPUTES' AND user_id = ANY ($1)`,
    [ctx.users],
  );
  const version = new Map(rows.map((r) => [r.user_id, r.version]));
  return ctx.users.map((id) => ({
    token: ctx.tokens[id],
    variables: { input: { ...SAVED, expectedVersion: version.get(id) } },
  }));
}

const masked = (text, fields) =>
  fields.reduce((t, f) => t.replace(new RegExp(`"${f}":"[^"]+"`, 'g'), `"${f}":"…"`), text);

/** A save through each server, for two users at the same version: the same answer but the time. */
async function checkSaves(ctx) {
  const [a, b] = ctx.users;
  const items = await saveItems(ctx);
  const body = (i) => JSON.stringify({ query: SAVE_TABLE_SETTINGS, variables: items[i].variables });
  const api = await post(ctx.servers.api.url, ctx.tokens[a], body(0));
  const twin = await post(ctx.servers.twin.url, ctx.tokens[b], body(1));
  if (!api.text.startsWith('{"data":{"saveTableSettings":{'))
    throw new Error(`the API did not save: ${api.text.slice(0, 500)}`);
  if (masked(api.text, ['updatedAt']) !== masked(twin.text, ['updatedAt']))
    throw new Error(`saveTableSettings answers differ ${firstDifference(api.text, twin.text)}`);
  // What each saved, read back through the other.
  for (const user of [a, b])
    await checkSame(
      ctx.servers,
      ctx.tokens[user],
      JSON.stringify({ query: TABLE_SETTINGS }),
      "a saved user's settings",
    );
}

/** A reopening through each server: the same answer but the dispute and its new deadline. */
async function checkReopen(ctx, ids) {
  const body = (id, side) =>
    JSON.stringify({
      query: REOPEN_DISPUTE,
      variables: { disputeId: id, reason: `bench ${side}` },
    });
  const api = await post(ctx.servers.api.url, ctx.tokens[MANAGER], body(ids.api, 'api'));
  const twin = await post(ctx.servers.twin.url, ctx.tokens[MANAGER], body(ids.twin, 'twin'));
  if (!api.text.startsWith('{"data":{"reopenDispute":{'))
    throw new Error(`the API did not reopen: ${api.text.slice(0, 500)}`);
  const shape = (t) => masked(t, ['id', 'reviewDueAt']);
  if (shape(api.text) !== shape(twin.text))
    throw new Error(`reopenDispute answers differ ${firstDifference(api.text, twin.text)}`);
}

/** What each server's reopenings wrote, per reason: every row of the transaction counted. */
async function reopenWrites(pg) {
  const { rows } = await pg.query(
    `WITH notified AS (
       SELECT event_id, count(*)::int AS n FROM notifications
        WHERE kind = 'DISPUTE_REOPENED' GROUP BY event_id),
     queued AS (
       SELECT (body::jsonb #>> '{data,dispute,id}')::uuid AS dispute_id, count(*)::int AS n
         FROM webhook_deliveries WHERE event_type = 'dispute.reopened' GROUP BY 1)
     SELECT e.note, count(*)::int AS events,
            count(*) FILTER (WHERE d.status = 'PENDING' AND d.decided_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE c.payout_minor = c.original_payout_minor)::int AS paid_back,
            coalesce(sum(n.n), 0)::int AS notifications, coalesce(sum(q.n), 0)::int AS deliveries
       FROM dispute_events e
       JOIN disputes d ON d.id = e.dispute_id
       JOIN calls c ON c.id = d.call_id
       LEFT JOIN notified n ON n.event_id = e.id
       LEFT JOIN queued q ON q.dispute_id = d.id
      WHERE e.type = 'REOPENED'
      GROUP BY e.note ORDER BY e.note`,
  );
  for (const r of rows)
    if (
      r.pending !== r.events ||
      r.paid_back !== r.events ||
      r.notifications !== r.events ||
      r.deliveries !== r.events
    )
      throw new Error(`reopenings wrote unevenly: ${JSON.stringify(r)}`);
  return rows;
}

/** A webhook receiver that takes every connection and never answers. */
function silentReceiver() {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hook`,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(r));
        },
      }),
    ),
  );
}

// ------------------------------------------------------------------ the run

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-desk-'));
  fs.chmodSync(tmp, 0o755);
  const profileDir = PROFILE ? path.join(tmp, 'profile') : undefined;
  const procs = {};
  const out = { loadBefore: os.loadavg() };
  let receiver;
  try {
    procs.services = await startServices(tmp);
    const { databaseUrl } = procs.services.info;
    receiver = await silentReceiver();
    procs.api = await startApi(
      procs.services.info,
      { WEBHOOK_CONCURRENCY: '1', WEBHOOK_ALLOW_PRIVATE: 'true' },
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const pg = new Pg({ connectionString: databaseUrl });
    await pg.connect();
    // After an error, stopping PostgreSQL ends this session too: the error printed is the first.
    pg.on('error', () => undefined);
    out.seed = await seedScale(pg, { calls: CALLS, disputes: DISPUTES });
    log(
      `seeded ${CALLS} calls and ${DISPUTES} disputes in ${(out.seed.total / 1000).toFixed(1)} s`,
    );
    const users = Array.from({ length: USERS }, (_, i) => deskUserId(i + 1));
    const tokens = await tokensFor([MANAGER, WRITER, ...users]);
    const api = { name: 'API', url: procs.api.info.url, pid: procs.api.child.pid };
    const windows = {};
    const ctx = { pg, api, tokens, users, windows, dir: tmp, storePid: procs.services.child.pid };

    // 1. Exports, on the seed alone (nothing else is written before them).
    out.exports = await exportRounds(ctx, windows);
    log(`Call Log export of ${CALLS} calls`);
    out.bigExport = await exportOnce(ctx, 'calls');
    (windows[`export (${CALLS / 1000}k calls)`] ??= []).push(out.bigExport.window);
    if (!PROFILE) out.bigCopy = await copyOut(ctx, EXPORTS.calls.pageSql);
    log(
      `Call Log export: ${Math.round(out.bigExport.rps)} rows/s, RSS +${out.bigExport.growthMiB.toFixed(1)} MiB over ${out.bigExport.idleMiB.toFixed(0)}${out.bigCopy ? `; COPY ${Math.round(out.bigCopy.rps)} rows/s` : ''}`,
    );

    // 2. and 3. The twin; users with saved settings, decided disputes, the webhook endpoint.
    procs.twin = await forkReady(path.join(__dirname, 'twin-server.js'), [], {
      DATABASE_URL: databaseUrl,
      JWT_SECRET: SECRET,
    });
    ctx.servers = {
      api,
      twin: { name: 'twin', url: procs.twin.info.url, pid: procs.twin.child.pid },
    };
    await seedDeskUsers(pg, USERS);
    out.reopenSeedMs = await seedReopenable(pg, 2 * REOPENS_PER_SERVER + 2);
    await pg.query(
      `INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_by)
       VALUES ($1, $2, $3, '{dispute.reopened}', 'bench-webhook-secret-not-a-secret', $4)`,
      [randomUUID(), WRITER_ACCOUNT, receiver.url, WRITER],
    );
    log(
      `seeded ${USERS} users and ${2 * REOPENS_PER_SERVER + 2} decided disputes in ${(out.reopenSeedMs / 1000).toFixed(1)} s`,
    );
    for (const user of [users[0], users[1], WRITER, MANAGER])
      await checkSame(
        ctx.servers,
        tokens[user],
        JSON.stringify({ query: TABLE_SETTINGS }),
        'Viewer.tableSettings',
      );
    await checkSaves(ctx);
    const slices = {
      api: { next: 1, end: REOPENS_PER_SERVER },
      twin: { next: REOPENS_PER_SERVER + 1, end: 2 * REOPENS_PER_SERVER },
    };
    await checkReopen(ctx, {
      api: reopenableId(slices.api.next++),
      twin: reopenableId(slices.twin.next++),
    });
    log('the twin answers as the API does: settings read and saved, a decision reopened');

    const loader = loadProcess();
    procs.load = { child: loader.child };
    ctx.loader = loader;
    out.reads = await sideBySide(ctx, 'tableSettings', async () => ({
      connections: CONNECTIONS,
      query: TABLE_SETTINGS,
      items: users.map((id) => ({ token: tokens[id], variables: {} })),
    }));
    out.saves = await sideBySide(ctx, 'saveTableSettings', async () => ({
      connections: WRITE_CONNECTIONS,
      query: SAVE_TABLE_SETTINGS,
      items: await saveItems(ctx),
      bump: 'expectedVersion',
    }));
    out.reopens = await sideBySide(
      ctx,
      'reopenDispute',
      async (side) => {
        const items = [];
        for (let n = slices[side].next; n <= slices[side].end; n++)
          items.push({ variables: { disputeId: reopenableId(n), reason: `bench ${side}` } });
        return {
          connections: WRITE_CONNECTIONS,
          token: tokens[MANAGER],
          query: REOPEN_DISPUTE,
          items,
        };
      },
      (side, r) => {
        slices[side].next += r.sent;
      },
    );
    await sleep(500);
    out.reopenRows = await reopenWrites(pg);
    out.apiRssMiB = rssMiB(api.pid);
    await pg.end();
    await stop(procs.load);
    await stop(procs.twin);
    await stop(procs.api); // writes the CPU profile, if any
    if (PROFILE) out.profile = summariseProfile(profileDir, windows);
    out.loadAfter = os.loadavg();
    out.totalS = (Date.now() - started) / 1000;
    process.stdout.write(`${report(out)}\n`);
  } catch (err) {
    printAndRethrow(err);
  } finally {
    for (const p of ['load', 'twin', 'api', 'services'])
      await stop(procs[p]).catch(() => undefined);
    await receiver?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ report

function report(o) {
  const int = (n) => Math.round(n).toLocaleString('en-US');
  const f1 = (n) => n.toFixed(1);
  const f2 = (n) => n.toFixed(2);
  const yes = (ok) => (ok ? 'yes' : '**no**');
  const { runs, warm } = o.exports;
  const m = (xs, k) => median(xs.map((r) => r[k]));
  const exportRps = m(runs.api, 'rps');
  const copyRps = runs.copy.length ? m(runs.copy, 'rps') : NaN;
  const linesRps = runs.lines.length ? m(runs.lines, 'rps') : NaN;
  const growth = Math.max(...runs.api.map((r) => r.growthMiB));
  const bigGrowth = o.bigExport.growthMiB;
  const ops = [
    ['tableSettings', `Viewer.tableSettings (${CONNECTIONS} connections, ${USERS} users)`, o.reads],
    [
      'saveTableSettings',
      `saveTableSettings with expectedVersion (${WRITE_CONNECTIONS} connections, a user each)`,
      o.saves,
    ],
    [
      'reopenDispute',
      `reopenDispute (${WRITE_CONNECTIONS} connections, a decided dispute each)`,
      o.reopens,
    ],
  ].map(([key, name, sides]) => ({
    key,
    name,
    sides,
    a: summaryOf(sides.api),
    t: summaryOf(sides.twin),
  }));
  const lines = [
    `Command: \`npm run bench:desk${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` — exports: ${EXPORT_ROUNDS} round(s) after a warm-up; load: ${ROUNDS} round(s) of ${SECONDS} s per server and operation after ${WARMUP_SECONDS} s of warm-up; production mode, LOG_LEVEL=warn, SQL_STATS off, WEBHOOK_CONCURRENCY=1.`,
    machineLine(o.loadBefore, o.loadAfter),
    `Seeded ${int(CALLS)} calls and ${int(DISPUTES)} disputes with COPY in ${(o.seed.total / 1000).toFixed(1)} s; ${int(USERS)} users with saved settings and ${int(2 * REOPENS_PER_SERVER + 2)} decided disputes after the exports. Whole run ${(o.totalS / 60).toFixed(1)} min.`,
    '',
    '| goal | measured | baseline | ratio | met |',
    '|---|---:|---:|---:|---|',
    `| Disputes export of ${int(DISPUTES)} rows (manager), rows/s from the mutation to DONE, ≥ 0.5× COPY of the page's SELECT | ${int(exportRps)} | ${int(copyRps)} | ${f2(exportRps / copyRps)} | ${yes(exportRps / copyRps >= 0.5)} |`,
    `| API RSS above idle during the ${int(DISPUTES)}-row export, ≤ 64 MiB | ${f1(growth)} MiB | – | – | ${yes(growth <= 64)} |`,
    `| API RSS above idle during the ${int(CALLS)}-row Call Log export, ≤ 64 MiB | ${f1(bigGrowth)} MiB | – | – | ${yes(bigGrowth <= 64)} |`,
  ];
  for (const op of ops)
    if (op.t)
      lines.push(
        `| ${op.name}, req/s ≥ 0.5× the twin | ${int(op.a.rps)} | ${int(op.t.rps)} | ${f2(op.a.rps / op.t.rps)} | ${yes(op.a.rps / op.t.rps >= 0.5)} |`,
      );
  lines.push(
    '',
    `Exports: medians of the rounds. COPY is \`COPY (SELECT the columns' values FROM the page's joins ORDER BY its order) TO STDOUT (FORMAT csv)\` over the bench's own connection; "lines" is COPY of the export's own CSV lines (the same SQL formatting its start writes), which the file matched byte for byte in round 1.`,
    '',
    '| export | rows | rows/s | seconds | start (mutation) s | API CPU s | PostgreSQL CPU s | store CPU s | API RSS idle → peak MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const exportRow = (name, r) =>
    `| ${name} | ${int(r.rows)} | ${int(r.rps)} | ${f2(r.seconds)} | ${r.startS === undefined ? '–' : f2(r.startS)} | ${r.apiCpuS === undefined ? '–' : f2(r.apiCpuS)} | ${f2(r.pgCpuS)} | ${r.storeCpuS === undefined ? '–' : f2(r.storeCpuS)} | ${r.idleMiB === undefined ? '–' : `${int(r.idleMiB)} → ${int(r.peakMiB)}`} |`;
  lines.push(exportRow('Disputes export, warm-up', warm));
  runs.api.forEach((r, i) => lines.push(exportRow(`Disputes export, round ${i + 1}`, r)));
  runs.copy.forEach((r, i) =>
    lines.push(exportRow(`COPY of the page's SELECT, round ${i + 1}`, r)),
  );
  runs.lines.forEach((r, i) =>
    lines.push(exportRow(`COPY of the export's lines, round ${i + 1}`, r)),
  );
  lines.push(exportRow(`Call Log export (${int(CALLS)} calls)`, o.bigExport));
  if (o.bigCopy) lines.push(exportRow("COPY of the Call Log's SELECT", o.bigCopy));
  if (runs.lines.length)
    lines.push(
      '',
      `The export reaches ${f2(exportRps / linesRps)}× COPY of its own lines (${int(linesRps)} rows/s).${o.bigCopy ? ` The ${int(CALLS)}-row Call Log export: ${int(o.bigExport.rps)} rows/s, ${f2(o.bigExport.rps / o.bigCopy.rps)}× COPY of its page's SELECT.` : ''}`,
    );
  lines.push(
    '',
    '| operation | API req/s | twin req/s | ratio | API p50 / p99 ms | twin p50 / p99 ms | API / twin CPU ms per request |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const { name, a, t } of ops)
    lines.push(
      `| ${name} | ${int(a.rps)} | ${t ? int(t.rps) : '–'} | ${t ? f2(a.rps / t.rps) : '–'} | ${a.p50} / ${a.p99} | ${t ? `${t.p50} / ${t.p99}` : '–'} | ${f2(a.cpu)} / ${t ? f2(t.cpu) : '–'} |`,
    );
  lines.push(
    '',
    `Reopenings checked in the database (per server: events, disputes PENDING again, payouts given back, notifications, outbox rows): ${o.reopenRows.map((r) => `${r.note}: ${int(r.events)}, ${int(r.pending)}, ${int(r.paid_back)}, ${int(r.notifications)}, ${int(r.deliveries)}`).join('; ')}. API resident memory at the end: ${int(o.apiRssMiB)} MiB.`,
    '',
    'Every round:',
    '',
    '| operation | server | round | req/s | p50 ms | p99 ms | CPU ms/req |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const { key, sides } of ops)
    for (const side of ['api', 'twin'])
      sides[side].forEach((r, i) =>
        lines.push(
          `| ${key} | ${side} | ${i + 1} | ${int(r.rps)} | ${r.p50} | ${r.p99} | ${f2(r.cpuMsPerRequest)} |`,
        ),
      );
  if (o.profile) lines.push('', ...profileLines(o.profile));
  return lines.join('\n');
}

runMain(main);
