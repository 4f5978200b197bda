// The desk's operations in the hand-written twin (bench/twin-server.js, which serves them next to
// the pages): the viewer's table settings read and saved (rule 18) and a decision reopened
// (rule 20), each with the statements the API sends (the same reads, locks and writes, and the
// same NOTIFYs), the rules written out by hand from src/settings/ and src/disputes/, and answers
// byte for byte the API's for the exact bodies of bench/pages.js. A yardstick, not a server:
// anything those bodies do not exercise is refused briefly.
const { randomUUID } = require('node:crypto');
const { TABLE_SETTINGS, SAVE_TABLE_SETTINGS, REOPEN_DISPUTE } = require('./pages');

// ------------------------------------------------------------------ table settings (rule 18)

const ALLOWS = {
  DISPUTES: [
    'STATUS',
    'CALL_DATE',
    'CALLER_ID',
    'DESTINATION',
    'PAYOUT',
    'ORIGINAL_PAYOUT',
    'CURRENCY',
    'REASON',
    'RECORDING',
    'BUYER',
    'CAMPAIGN',
    'CREATED_AT',
    'REVIEW_DUE_AT',
    'DECISION',
    'ADJUSTMENT',
    'DECIDED_AT',
    'DISPUTE_ID',
    'CALL_ID',
  ],
  CALL_LOG: [
    'CALL_DATE',
    'CALLER_ID',
    'DESTINATION',
    'PAYOUT',
    'ORIGINAL_PAYOUT',
    'CURRENCY',
    'STATUS',
    'DURATION',
    'HANGUP',
    'CAMPAIGN',
    'RECORDING',
    'DISPUTABILITY',
    'BUYER',
    'CALL_ID',
  ],
};
const DEFAULTS = {
  DISPUTES: {
    BUYER: ['STATUS', 'CALL_DATE', 'CALLER_ID', 'DESTINATION', 'PAYOUT', 'REASON', 'RECORDING'],
    MANAGER: [
      'STATUS',
      'CALL_DATE',
      'BUYER',
      'CALLER_ID',
      'DESTINATION',
      'PAYOUT',
      'REASON',
      'RECORDING',
    ],
  },
  CALL_LOG: {
    BUYER: [
      'CALL_DATE',
      'CALLER_ID',
      'DESTINATION',
      'PAYOUT',
      'STATUS',
      'DURATION',
      'DISPUTABILITY',
    ],
    MANAGER: ['CALL_DATE', 'BUYER', 'CALLER_ID', 'DESTINATION', 'PAYOUT', 'STATUS', 'DURATION'],
  },
};
const allowed = (table, role, column) =>
  ALLOWS[table].includes(column) && (role === 'MANAGER' || column !== 'BUYER');

const RETURNED = `table_name, columns, page_size, dispute_order_field, dispute_order_direction,
  version, updated_at`;

/** The stored row as TableSettings answers it, the defaults where it has none. */
function settingsOf(viewer, table, row) {
  const defaults = DEFAULTS[table][viewer.role];
  if (!row)
    return {
      table,
      columns: defaults,
      pageSize: 25,
      disputeOrder: null,
      version: 0,
      updatedAt: null,
    };
  const kept = (row.columns ?? []).filter((c) => allowed(table, viewer.role, c));
  return {
    table,
    columns: row.columns === null || !kept.length ? defaults : kept,
    pageSize: row.page_size ?? 25,
    disputeOrder:
      row.dispute_order_field && row.dispute_order_direction
        ? { field: row.dispute_order_field, direction: row.dispute_order_direction }
        : null,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

// ------------------------------------------------------------------ reopening (rule 20)

const DECIDED = ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'];
const REOPEN_WINDOW_HOURS = 168;
const REVIEW_SLA_HOURS = 48;
const MAX_REOPENINGS = 9;

const STANDING = `SELECT
    EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id
             AND (o.created_at, o.id) > (d.created_at, d.id)) AS later,
    EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id AND o.status = 'PENDING') AS pending,
    (SELECT count(*)::int FROM dispute_events e
      WHERE e.dispute_id = d.id AND e.type = 'REOPENED') AS reopenings,
    (SELECT e.payout_before_minor::text FROM dispute_events e
      WHERE e.dispute_id = d.id AND e.type = 'RESOLVED'
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS payout_before
  FROM disputes d WHERE d.id = $1`;

// ------------------------------------------------------------------ the operations

/**
 * The operations keyed by their query text, for twin-server.js's table: each takes the viewer
 * (as twin-server.js reads it) and the variables, and answers the `data` object. `decimal`
 * writes minor units as the API's Decimal ("25.00").
 */
function deskOperations({ pool, Refusal, UUID, canListDisputes, decimal }) {
  const requireTable = (viewer, table) => {
    if (table === 'DISPUTES' && !canListDisputes(viewer))
      throw new Refusal('FORBIDDEN', 'Not allowed.');
  };

  async function tableSettings(viewer) {
    const table = 'DISPUTES';
    requireTable(viewer, table);
    const { rows } = await pool.query(
      `SELECT ${RETURNED} FROM table_settings WHERE user_id = $1 AND table_name = $2`,
      [viewer.id, table],
    );
    return { viewer: { tableSettings: settingsOf(viewer, table, rows[0]) } };
  }

  async function saveTableSettings(viewer, variables) {
    const { table, columns, pageSize, disputeOrder } = variables.input;
    const expected = variables.input.expectedVersion ?? null;
    requireTable(viewer, table);
    if (columns.length < 1 || columns.length > 20 || new Set(columns).size !== columns.length)
      throw new Refusal('BAD_USER_INPUT', 'columns');
    if (columns.some((c) => !allowed(table, viewer.role, c)))
      throw new Refusal('BAD_USER_INPUT', 'columns');
    if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100)
      throw new Refusal('BAD_USER_INPUT', 'pageSize');
    if (disputeOrder && table !== 'DISPUTES') throw new Refusal('BAD_USER_INPUT', 'disputeOrder');
    const values = [
      columns,
      pageSize,
      disputeOrder?.field ?? null,
      disputeOrder ? (disputeOrder.direction ?? 'ASC') : null,
      new Date(),
      viewer.id,
      table,
    ];
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const { rows } =
        expected !== null && expected !== 0
          ? await db.query(
              `UPDATE table_settings SET columns = $1::text[], page_size = $2,
                 dispute_order_field = $3, dispute_order_direction = $4,
                 version = version + 1, updated_at = $5
               WHERE user_id = $6 AND table_name = $7 AND version = $8
               RETURNING ${RETURNED}`,
              [...values, expected],
            )
          : await db.query(
              `INSERT INTO table_settings AS s (user_id, table_name, columns, page_size,
                 dispute_order_field, dispute_order_direction, version, updated_at)
               VALUES ($6, $7, $1::text[], $2, $3, $4, 1, $5)
               ON CONFLICT (user_id, table_name) DO UPDATE
                 SET columns = EXCLUDED.columns, page_size = EXCLUDED.page_size,
                     dispute_order_field = EXCLUDED.dispute_order_field,
                     dispute_order_direction = EXCLUDED.dispute_order_direction,
                     version = s.version + 1, updated_at = EXCLUDED.updated_at
                 ${expected === null ? '' : 'WHERE s.version = 0'}
               RETURNING ${RETURNED}`,
              values,
            );
      if (!rows[0]) throw new Refusal('BAD_USER_INPUT', 'expectedVersion');
      await db.query('SELECT pg_notify($1, $2)', [
        'disputes_live',
        JSON.stringify({ v: 1, kind: 'settings', userId: viewer.id, table }),
      ]);
      await db.query('COMMIT');
      return { saveTableSettings: settingsOf(viewer, table, rows[0]) };
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      db.release();
    }
  }

  /** The API's transaction: lock, standing, the dispute, the payout, history, fan-out, NOTIFY. */
  async function reopenDispute(viewer, variables) {
    if (viewer.role !== 'MANAGER' || !viewer.permissions.has('EDIT_DISPUTES'))
      throw new Refusal('FORBIDDEN', 'Not allowed.');
    const { disputeId } = variables;
    if (typeof disputeId !== 'string' || !UUID.test(disputeId))
      throw new Refusal('NOT_FOUND', 'No such dispute.');
    const note = String(variables.reason).trim();
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const { rows } = await db.query(
        `SELECT d.status, d.decided_at, d.adjustment_minor, c.id AS call_id, c.caller_id,
                c.payout_minor, c.original_payout_minor, a.currency
           FROM disputes d
           JOIN calls c ON c.id = d.call_id
           JOIN accounts a ON a.id = d.buyer_id
          WHERE d.id = $1
            FOR UPDATE OF d, c`,
        [disputeId],
      );
      const locked = rows[0];
      if (!locked) throw new Refusal('NOT_FOUND', 'No such dispute.');
      const [standing] = (await db.query(STANDING, [disputeId])).rows;
      const at = new Date();
      if (
        !DECIDED.includes(locked.status) ||
        !locked.decided_at ||
        at.getTime() > locked.decided_at.getTime() + REOPEN_WINDOW_HOURS * 3_600_000 ||
        standing.later ||
        standing.pending
      )
        throw new Refusal('DISPUTE_NOT_REOPENABLE', 'Not reopenable.');
      if (!note || note.length > 2000) throw new Refusal('BAD_USER_INPUT', 'reason');
      if (standing.reopenings >= MAX_REOPENINGS) throw new Refusal('BAD_USER_INPUT', 'disputeId');
      const before = Number(locked.payout_minor);
      const after = Math.min(
        standing.payout_before !== null
          ? Number(standing.payout_before)
          : before + Number(locked.adjustment_minor ?? 0),
        Number(locked.original_payout_minor),
      );
      const { rows: updated } = await db.query(
        `UPDATE disputes
            SET status = 'PENDING', decided_at = NULL, decided_by = NULL, adjustment_minor = NULL,
                decision_comment = NULL, review_due_at = $3
          WHERE id = $1 AND status = $2
          RETURNING id, call_id, buyer_id, reason, created_at, review_due_at`,
        [disputeId, locked.status, new Date(at.getTime() + REVIEW_SLA_HOURS * 3_600_000)],
      );
      const d = updated[0];
      if (after !== before)
        await db.query('UPDATE calls SET payout_minor = $2 WHERE id = $1', [locked.call_id, after]);
      const eventId = randomUUID();
      await db.query(
        `INSERT INTO dispute_events (id, dispute_id, type, at, actor_id, status_before,
           status_after, payout_before_minor, payout_after_minor, currency, note)
         VALUES ($1, $2, 'REOPENED', $3, $4, $5, 'PENDING', $6, $7, $8, $9)`,
        [eventId, d.id, at, viewer.id, locked.status, before, after, locked.currency, note],
      );
      const what = `A manager reopened your dispute of the call from ${locked.caller_id}: it is pending again`;
      await db.query(
        `INSERT INTO notifications (id, user_id, kind, dispute_id, message, comment_id, event_id)
         SELECT gen_random_uuid(), u.id, 'DISPUTE_REOPENED', $1, $2, NULL, $3 FROM users u
          WHERE u.role = 'BUYER' AND 'DISPUTE_CALLS' = ANY (u.permissions) AND u.account_id = $4`,
        [
          d.id,
          after === before
            ? `${what}, payout unchanged.`
            : `${what}, payout back to ${decimal(after)} ${locked.currency}.`,
          eventId,
          d.buyer_id,
        ],
      );
      const webhookId = randomUUID();
      const body = JSON.stringify({
        id: webhookId,
        type: 'dispute.reopened',
        createdAt: at.toISOString(),
        data: {
          dispute: {
            id: d.id,
            callId: d.call_id,
            buyerId: d.buyer_id,
            status: 'PENDING',
            reason: d.reason,
            createdAt: d.created_at.toISOString(),
            decision: null,
          },
          comment: null,
        },
      });
      await db.query(
        `WITH queued AS (
           INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status,
             attempts, next_attempt_at)
           SELECT gen_random_uuid(), e.id, $1, 'dispute.reopened', $2, 'PENDING', 0, now()
             FROM webhook_endpoints e
            WHERE e.deleted_at IS NULL AND 'dispute.reopened' = ANY (e.events)
              AND (e.account_id IS NULL OR e.account_id = $3)
              FOR KEY SHARE OF e
           RETURNING 1)
         SELECT pg_notify('webhook_deliveries', '') FROM (SELECT 1 FROM queued LIMIT 1) AS any_queued`,
        [webhookId, body, d.buyer_id],
      );
      await db.query('SELECT pg_notify($1, $2)', [
        'disputes_live',
        JSON.stringify({
          v: 1,
          kind: 'dispute',
          change: 'reopened',
          disputeId: d.id,
          buyerId: d.buyer_id,
          eventId,
        }),
      ]);
      await db.query('COMMIT');
      return {
        reopenDispute: {
          id: d.id,
          status: 'PENDING',
          reviewDueAt: d.review_due_at.toISOString(),
          decision: null,
        },
      };
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      if (err.code === '23505') throw new Refusal('DISPUTE_NOT_REOPENABLE', 'PENDING_DISPUTE');
      throw err;
    } finally {
      db.release();
    }
  }

  return new Map([
    [TABLE_SETTINGS, tableSettings],
    [SAVE_TABLE_SETTINGS, saveTableSettings],
    [REOPEN_DISPUTE, reopenDispute],
  ]);
}

module.exports = { deskOperations };
