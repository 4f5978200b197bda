// The hand-written twin of the API for the side-by-side benchmark (never shipped): `node:http`
// and `pg` only, one SQL statement per page, JSON built by hand. For the exact request bodies of
// bench/pages.js it answers the same bytes as the API: same fields in the same order, DateTime as
// ISO strings, Decimal money as "12.50", the same opaque cursors, the same disputability verdict
// (a copy of src/disputes/dispute-rules.ts, checked against the API before every timing). Like the
// API it verifies the bearer token (HS256, exp and sub required) and reads the user on every
// request. Anything else is answered with an error: it is a yardstick, not a server. The desk's
// operations (table settings, reopening) are in bench/desk-twin.js.
// Started by bench/run.js and bench/desk.js as a forked child: env DATABASE_URL, JWT_SECRET; reports { url } over IPC.
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { Buffer } = require('node:buffer');
const { TextEncoder } = require('node:util');
const { Pool } = require('pg');
const { jwtVerify } = require('jose');
const {
  BUYER_DISPUTES,
  PENDING_DISPUTES,
  CALL_LOG,
  BUYER_DISPUTES_WIDE,
  PENDING_DISPUTES_WIDE,
  CALL_LOG_WIDE,
  CREATE_DISPUTE,
} = require('./pages');
const { deskOperations } = require('./desk-twin');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Refusal extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ------------------------------------------------------------------ formats

/** 2550 (or "2550" from a bigint column) → "25.50". */
function decimal(minor) {
  const n = Number(minor);
  const rest = n % 100;
  return `${(n - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}

const cursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

function uncursor(tag, text, arity) {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === tag && parsed.length === arity + 1)
      return parsed.slice(1);
  } catch {
    // fall through
  }
  throw new Refusal(
    'BAD_USER_INPUT',
    'after is not a cursor of this list and ordering; use an endCursor it returned.',
  );
}

function pageInfo(rows, first, keyOf) {
  const last = rows.length > first ? rows[first - 1] : rows[rows.length - 1];
  return { hasNextPage: rows.length > first, endCursor: last ? cursor(keyOf(last)) : null };
}

// ------------------------------------------------------------------ viewer and rules

const ROLE_PERMISSIONS = { BUYER: ['DISPUTE_CALLS'], MANAGER: ['VIEW_DISPUTES', 'EDIT_DISPUTES'] };

async function viewerOf(authorization) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new Refusal('UNAUTHENTICATED', 'Authorization must be "Bearer <token>".');
  let sub;
  try {
    const { payload } = await jwtVerify(m[1], secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    sub = payload.sub;
  } catch {
    throw new Refusal('UNAUTHENTICATED', 'The token is malformed, expired or wrongly signed.');
  }
  const { rows } = UUID.test(sub)
    ? await pool.query('SELECT id, name, role, account_id, permissions FROM users WHERE id = $1', [
        sub,
      ])
    : { rows: [] };
  const user = rows[0];
  if (!user) throw new Refusal('UNAUTHENTICATED', 'The token names no existing user.');
  const permissions = new Set(
    user.permissions.filter((p) => ROLE_PERMISSIONS[user.role].includes(p)),
  );
  if (permissions.has('EDIT_DISPUTES') && !permissions.has('VIEW_DISPUTES'))
    permissions.delete('EDIT_DISPUTES');
  return {
    id: user.id,
    role: user.role,
    accountId: user.role === 'BUYER' ? user.account_id : null,
    permissions,
  };
}

/** src/disputes/dispute-rules.ts, by hand: the first block in DisputeBlock order, or none. */
function disputability(canDispute, status, startedAt, windowHours, disputeStatuses, now) {
  const endsAt = startedAt.getTime() + windowHours * 3_600_000;
  let blockedBy = null;
  if (!canDispute) blockedBy = 'NO_PERMISSION';
  else if (
    status !== 'COMPLETED_WITH_CONVERSION' &&
    status !== 'CALL_NOT_CONNECTED_WITH_CONVERSION'
  )
    blockedBy = 'STATUS_NOT_DISPUTABLE';
  else if (now >= endsAt) blockedBy = 'WINDOW_EXPIRED';
  else if (disputeStatuses.includes('PENDING')) blockedBy = 'DISPUTE_PENDING';
  else if (disputeStatuses.some((s) => s === 'ACCEPTED' || s === 'ACCEPTED_PARTIAL'))
    blockedBy = 'ALREADY_ADJUSTED';
  return { allowed: blockedBy === null, blockedBy, windowEndsAt: new Date(endsAt).toISOString() };
}

function pageSize(variables) {
  const first = variables?.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw new Refusal('BAD_USER_INPUT', `first must be between 1 and 100, got ${first}.`);
  return first;
}

const canListDisputes = (v) =>
  v.role === 'BUYER' ? v.permissions.has('DISPUTE_CALLS') : v.permissions.has('VIEW_DISPUTES');

// ------------------------------------------------------------------ pages

/** Default order of the Disputes list: STATUS ASC, newest first within a status. */
async function disputesPage(viewer, variables, pendingOnly) {
  if (!canListDisputes(viewer)) throw new Refusal('FORBIDDEN', 'Not allowed.');
  const first = pageSize(variables);
  const where = [];
  const params = [first + 1];
  if (viewer.role === 'BUYER') {
    params.push(viewer.accountId);
    where.push(`d.buyer_id = $${params.length}`);
  }
  if (pendingOnly) where.push(`d.status = 'PENDING'`);
  const { rows } = await pool.query(
    `SELECT d.id, d.status, d.status_rank, d.reason, d.created_at,
            c.id AS call_id, c.started_at, c.caller_id, c.status AS call_status, c.payout_minor,
            a.id AS account_id, a.name AS account_name, a.currency,
            cp.id AS campaign_id, cp.name AS campaign_name
       FROM disputes d
       JOIN calls c ON c.id = d.call_id
       JOIN accounts a ON a.id = d.buyer_id
       JOIN campaigns cp ON cp.id = c.campaign_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (-d.status_rank) DESC, d.created_at DESC, d.id DESC
      LIMIT $1`,
    params,
  );
  const nodes = rows.slice(0, first).map((r) =>
    pendingOnly
      ? {
          id: r.id,
          status: r.status,
          reason: r.reason,
          createdAt: r.created_at.toISOString(),
          call: {
            id: r.call_id,
            startedAt: r.started_at.toISOString(),
            callerId: r.caller_id,
            payout: { amount: decimal(r.payout_minor), currency: r.currency },
          },
          buyer: { id: r.account_id, name: r.account_name },
        }
      : {
          id: r.id,
          status: r.status,
          reason: r.reason,
          createdAt: r.created_at.toISOString(),
          call: {
            id: r.call_id,
            startedAt: r.started_at.toISOString(),
            callerId: r.caller_id,
            status: r.call_status,
            payout: { amount: decimal(r.payout_minor), currency: r.currency },
            campaign: { id: r.campaign_id, name: r.campaign_name },
          },
        },
  );
  return {
    disputes: {
      nodes,
      pageInfo: pageInfo(rows, first, (r) => [
        'status-first',
        -r.status_rank,
        r.created_at.toISOString(),
        r.id,
      ]),
    },
  };
}

/** The Call Log, newest first, with the viewer's verdict on each call. */
async function callLog(viewer, variables) {
  const first = pageSize(variables);
  const where = [];
  const params = [first + 1];
  if (viewer.role === 'BUYER') {
    params.push(viewer.accountId);
    where.push(`c.buyer_id = $${params.length}`);
  }
  if (variables?.after) {
    const [startedAt, id] = uncursor('calls', variables.after, 2);
    params.push(new Date(startedAt), id);
    where.push(`(c.started_at, c.id) < ($${params.length - 1}, $${params.length})`);
  }
  const { rows } = await pool.query(
    `SELECT c.id, c.buyer_id, c.started_at, c.caller_id, c.destination, c.duration_seconds,
            c.status, c.payout_minor, a.currency, cp.name AS campaign_name,
            COALESCE(cp.dispute_window_hours, a.dispute_window_hours) AS window_hours,
            ARRAY(SELECT d.status FROM disputes d WHERE d.call_id = c.id) AS dispute_statuses
       FROM calls c
       JOIN accounts a ON a.id = c.buyer_id
       JOIN campaigns cp ON cp.id = c.campaign_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.started_at DESC, c.id DESC
      LIMIT $1`,
    params,
  );
  const now = Date.now();
  const disputer = viewer.permissions.has('DISPUTE_CALLS') ? viewer.accountId : undefined;
  const nodes = rows.slice(0, first).map((r) => ({
    id: r.id,
    startedAt: r.started_at.toISOString(),
    callerId: r.caller_id,
    destination: r.destination,
    durationSeconds: r.duration_seconds,
    status: r.status,
    payout: { amount: decimal(r.payout_minor), currency: r.currency },
    campaign: { name: r.campaign_name },
    disputability: disputability(
      disputer === r.buyer_id,
      r.status,
      r.started_at,
      r.window_hours,
      r.dispute_statuses,
      now,
    ),
  }));
  return {
    calls: {
      nodes,
      pageInfo: pageInfo(rows, first, (r) => ['calls', r.started_at.toISOString(), r.id]),
    },
  };
}

// ------------------------------------------------------------------ pages with every column

const money = (minor, currency) => ({ amount: decimal(minor), currency });
const recording = (r) =>
  r.recording_key && r.recording_content_type ? { contentType: r.recording_content_type } : null;

/** The Disputes page showing every column (manager: with the buyer), default order. */
async function disputesWide(viewer, variables, pendingOnly) {
  if (!canListDisputes(viewer)) throw new Refusal('FORBIDDEN', 'Not allowed.');
  const first = pageSize(variables);
  const where = [];
  const params = [first + 1];
  if (viewer.role === 'BUYER') {
    params.push(viewer.accountId);
    where.push(`d.buyer_id = $${params.length}`);
  }
  if (pendingOnly) where.push(`d.status = 'PENDING'`);
  const { rows } = await pool.query(
    `SELECT d.id, d.status, d.status_rank, d.reason, d.created_at, d.review_due_at,
            d.decided_at, d.decided_by, d.adjustment_minor,
            c.id AS call_id, c.started_at, c.caller_id, c.destination, c.payout_minor,
            c.original_payout_minor, c.recording_key, c.recording_content_type,
            a.name AS account_name, a.currency, cp.name AS campaign_name
       FROM disputes d
       JOIN calls c ON c.id = d.call_id
       JOIN accounts a ON a.id = d.buyer_id
       JOIN campaigns cp ON cp.id = c.campaign_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (-d.status_rank) DESC, d.created_at DESC, d.id DESC
      LIMIT $1`,
    params,
  );
  const nodes = rows.slice(0, first).map((r) => {
    const node = {
      id: r.id,
      status: r.status,
      reason: r.reason,
      createdAt: r.created_at.toISOString(),
      reviewDueAt: r.review_due_at.toISOString(),
      call: {
        id: r.call_id,
        startedAt: r.started_at.toISOString(),
        callerId: r.caller_id,
        destination: r.destination,
        payout: money(r.payout_minor, r.currency),
        originalPayout: money(r.original_payout_minor, r.currency),
        recording: recording(r),
        campaign: { name: r.campaign_name },
      },
    };
    if (pendingOnly) node.buyer = { name: r.account_name };
    node.decision =
      r.status === 'PENDING' || !r.decided_at || !r.decided_by
        ? null
        : {
            outcome: r.status,
            adjustment: money(r.adjustment_minor ?? 0, r.currency),
            decidedAt: r.decided_at.toISOString(),
          };
    return node;
  });
  return {
    disputes: {
      nodes,
      pageInfo: pageInfo(rows, first, (r) => [
        'status-first',
        -r.status_rank,
        r.created_at.toISOString(),
        r.id,
      ]),
    },
  };
}

/** The Call Log showing every column a buyer's may. */
async function callLogWide(viewer, variables) {
  const first = pageSize(variables);
  const where = [];
  const params = [first + 1];
  if (viewer.role === 'BUYER') {
    params.push(viewer.accountId);
    where.push(`c.buyer_id = $${params.length}`);
  }
  const { rows } = await pool.query(
    `SELECT c.id, c.buyer_id, c.started_at, c.caller_id, c.destination, c.duration_seconds,
            c.status, c.payout_minor, c.original_payout_minor, c.hangup_by, c.hangup_cause,
            c.recording_key, c.recording_content_type, a.currency, cp.name AS campaign_name,
            COALESCE(cp.dispute_window_hours, a.dispute_window_hours) AS window_hours,
            ARRAY(SELECT d.status FROM disputes d WHERE d.call_id = c.id) AS dispute_statuses
       FROM calls c
       JOIN accounts a ON a.id = c.buyer_id
       JOIN campaigns cp ON cp.id = c.campaign_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.started_at DESC, c.id DESC
      LIMIT $1`,
    params,
  );
  const now = Date.now();
  const disputer = viewer.permissions.has('DISPUTE_CALLS') ? viewer.accountId : undefined;
  const nodes = rows.slice(0, first).map((r) => ({
    id: r.id,
    startedAt: r.started_at.toISOString(),
    callerId: r.caller_id,
    destination: r.destination,
    durationSeconds: r.duration_seconds,
    status: r.status,
    payout: money(r.payout_minor, r.currency),
    originalPayout: money(r.original_payout_minor, r.currency),
    hangup: r.hangup_by ? { by: r.hangup_by, cause: r.hangup_cause } : null,
    campaign: { name: r.campaign_name },
    recording: recording(r),
    disputability: disputability(
      disputer === r.buyer_id,
      r.status,
      r.started_at,
      r.window_hours,
      r.dispute_statuses,
      now,
    ),
  }));
  return {
    calls: {
      nodes,
      pageInfo: pageInfo(rows, first, (r) => ['calls', r.started_at.toISOString(), r.id]),
    },
  };
}

// ------------------------------------------------------------------ createDispute

const BLOCK_ERROR = {
  NO_PERMISSION: 'FORBIDDEN',
  STATUS_NOT_DISPUTABLE: 'CALL_NOT_DISPUTABLE',
  WINDOW_EXPIRED: 'DISPUTE_WINDOW_EXPIRED',
  DISPUTE_PENDING: 'DISPUTE_ALREADY_ACTIVE',
  ALREADY_ADJUSTED: 'CALL_ALREADY_ADJUSTED',
};

/** The API's writes, in one transaction: dispute, CREATED event, managers' notifications, NOTIFY. */
async function createDispute(viewer, variables) {
  if (!viewer.permissions.has('DISPUTE_CALLS')) throw new Refusal('FORBIDDEN', 'Not allowed.');
  const callId = variables?.callId;
  const note = variables?.note?.trim() || null;
  if (note && note.length > 2000) throw new Refusal('BAD_USER_INPUT', 'additionalInfo too long.');
  if (typeof callId !== 'string' || !UUID.test(callId))
    throw new Refusal('NOT_FOUND', 'No such call.');
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const { rows } = await db.query(
      `SELECT c.id, c.buyer_id, c.started_at, c.caller_id, c.status, c.payout_minor,
              a.name AS account_name, a.currency,
              COALESCE(cp.dispute_window_hours, a.dispute_window_hours) AS window_hours,
              ARRAY(SELECT d.status FROM disputes d WHERE d.call_id = c.id) AS dispute_statuses
         FROM calls c
         JOIN accounts a ON a.id = c.buyer_id
         JOIN campaigns cp ON cp.id = c.campaign_id
        WHERE c.id = $1 AND c.buyer_id = $2
          FOR UPDATE OF c`,
      [callId, viewer.accountId],
    );
    const call = rows[0];
    if (!call) throw new Refusal('NOT_FOUND', 'No such call.');
    const now = new Date();
    const verdict = disputability(
      true,
      call.status,
      call.started_at,
      call.window_hours,
      call.dispute_statuses,
      now.getTime(),
    );
    if (verdict.blockedBy) throw new Refusal(BLOCK_ERROR[verdict.blockedBy], verdict.blockedBy);
    const id = randomUUID();
    const inserted = await db.query(
      `INSERT INTO disputes (id, call_id, buyer_id, status, reason, additional_info, call_started_at,
                             created_by, created_at, review_due_at)
       VALUES ($1, $2, $3, 'PENDING', 'INVALID_CALLER', $4, $5, $6, $7, $7::timestamptz + interval '48 hours')
       RETURNING id, status, reason, additional_info, created_at`,
      [id, call.id, call.buyer_id, note, call.started_at, viewer.id, now],
    );
    await db.query(
      `INSERT INTO dispute_events (id, dispute_id, type, at, actor_id, status_before, status_after,
                                   payout_before_minor, payout_after_minor, currency)
       VALUES ($1, $2, 'CREATED', $3, $4, NULL, 'PENDING', $5, $5, $6)`,
      [randomUUID(), id, now, viewer.id, call.payout_minor, call.currency],
    );
    await db.query(
      `INSERT INTO notifications (id, user_id, kind, dispute_id, message)
       SELECT gen_random_uuid(), u.id, 'DISPUTE_CREATED', $1, $2
         FROM users u
        WHERE u.role = 'MANAGER' AND 'VIEW_DISPUTES' = ANY (u.permissions)`,
      [id, `${call.account_name} disputed the call from ${call.caller_id} (Invalid caller).`],
    );
    await db.query('SELECT pg_notify($1, $2)', [
      'disputes_live',
      JSON.stringify({
        v: 1,
        kind: 'dispute',
        change: 'created',
        disputeId: id,
        buyerId: call.buyer_id,
      }),
    ]);
    await db.query('COMMIT');
    const d = inserted.rows[0];
    return {
      createDispute: {
        id: d.id,
        status: d.status,
        reason: d.reason,
        additionalInfo: d.additional_info,
        createdAt: d.created_at.toISOString(),
      },
    };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    if (err.code === '23505') throw new Refusal('DISPUTE_ALREADY_ACTIVE', 'DISPUTE_PENDING');
    throw err;
  } finally {
    db.release();
  }
}

// ------------------------------------------------------------------ HTTP

const OPERATIONS = new Map([
  [BUYER_DISPUTES, (viewer, vars) => disputesPage(viewer, vars, false)],
  [PENDING_DISPUTES, (viewer, vars) => disputesPage(viewer, vars, true)],
  [CALL_LOG, callLog],
  [BUYER_DISPUTES_WIDE, (viewer, vars) => disputesWide(viewer, vars, false)],
  [PENDING_DISPUTES_WIDE, (viewer, vars) => disputesWide(viewer, vars, true)],
  [CALL_LOG_WIDE, callLogWide],
  [CREATE_DISPUTE, createDispute],
  ...deskOperations({ pool, Refusal, UUID, canListDisputes, decimal }),
]);

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(`${JSON.stringify(body)}\n`);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql')
    return send(res, 404, { error: 'Not found.' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const operation = OPERATIONS.get(query);
      if (!operation) throw new Refusal('BAD_USER_INPUT', 'The twin knows only bench/pages.js.');
      const viewer = await viewerOf(req.headers.authorization);
      send(res, 200, { data: await operation(viewer, variables) });
    } catch (err) {
      const code = err instanceof Refusal ? err.code : 'INTERNAL_SERVER_ERROR';
      if (!(err instanceof Refusal)) process.stderr.write(`twin: ${err.stack}\n`);
      send(res, 200, { errors: [{ message: err.message, extensions: { code } }], data: null });
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.send?.({ url: `http://127.0.0.1:${port}/graphql` });
});

const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('disconnect', stop);
