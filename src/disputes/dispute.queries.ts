import { prepared } from '../platform/prepared-statements';
import { DISPUTE_COLUMNS } from './dispute.entity';
import { DISPUTE_EVENT_COLUMNS } from './dispute-event.entity';
import { DISPUTE_COMMENT_COLUMNS } from './dispute-comment.entity';

/*
 * The SQL of the disputes feature, one statement a constant or a function of the fragments it
 * is built from. The page queries of Query.disputes live in dispute-queries.ts.
 */

/** Locks a visible call (FOR UPDATE OF c) with its account and campaign, the columns given. */
export const lockVisibleCallSql = (columns: string, visible: string) =>
  `SELECT ${columns} FROM calls c
         JOIN accounts a ON a.id = c.buyer_id
         JOIN campaigns cp ON cp.id = c.campaign_id
        WHERE c.id = $1 AND ${visible}
        FOR UPDATE OF c`;

/** The statuses of a call's disputes (read after the call's lock is held, in a statement of its own). */
export const DISPUTE_STATUSES_OF_CALL = prepared('SELECT status FROM disputes WHERE call_id = $1');

/**
 * Reopens a dispute: PENDING again, no decision, a new review deadline; conditional on the status
 * read, so of two concurrent moves one fails whole.
 */
export const REOPEN_DISPUTE = prepared(`UPDATE disputes
          SET status = 'PENDING', decided_at = NULL, decided_by = NULL, adjustment_minor = NULL,
              decision_comment = NULL, review_due_at = $3
        WHERE id = $1 AND status = $2
        RETURNING *`);

/** Sets a call's payout (a decision takes off, a reopening gives back). */
export const SET_CALL_PAYOUT = prepared('UPDATE calls SET payout_minor = $2 WHERE id = $1');

/** Creates a PENDING dispute; RETURNING gives the row as stored (status_rank is computed). */
export const INSERT_PENDING_DISPUTE =
  prepared(`INSERT INTO disputes (id, call_id, buyer_id, status, reason, additional_info,
         call_started_at, created_by, created_at, review_due_at)
       VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9)
       RETURNING *`);

/** Withdraws a dispute; conditional like a decision: of a concurrent withdrawal and decision, one fails whole. */
export const WITHDRAW_DISPUTE =
  prepared(`UPDATE disputes SET status = 'WITHDRAWN', withdrawn_at = $3, withdrawn_by = $4
        WHERE id = $1 AND status = $2
        RETURNING *`);

/** Decides a dispute; conditional on the status read, so a concurrent move makes this one fail whole. */
export const DECIDE_DISPUTE = prepared(`UPDATE disputes
          SET status = $3, decided_at = $4, decided_by = $5, adjustment_minor = $6,
              decision_comment = $7
        WHERE id = $1 AND status = $2
        RETURNING *`);

/**
 * The history row of a move (append-only: a trigger refuses UPDATE and DELETE), a part of the
 * event's statement (dispute-fan-out.ts).
 */
export const INSERT_DISPUTE_EVENT = `INSERT INTO dispute_events (id, dispute_id, type, at, actor_id,
       status_before, status_after, payout_before_minor, payout_after_minor, currency, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

/** Writes a comment and returns it as stored. */
export const INSERT_DISPUTE_COMMENT = `INSERT INTO dispute_comments (id, dispute_id, author_id, author_role, body, visibility, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING *`;

/** A dispute's comments counted, as a column of the lock statement. */
export const COMMENT_COUNT_COLUMN =
  '(SELECT count(*)::int FROM dispute_comments dc WHERE dc.dispute_id = d.id) AS comment_count';

/**
 * Locks a dispute (and, with `lockCall`, its call) and reads it with its call and account, the
 * columns given: the statement every change of an existing dispute starts with.
 */
export const lockDisputeSql = (columns: string, lockCall: boolean) => `SELECT ${columns}
  FROM disputes d
  JOIN calls c ON c.id = d.call_id
  JOIN accounts a ON a.id = d.buyer_id
 WHERE d.id = $1
   FOR UPDATE OF ${lockCall ? 'd, c' : 'd'}`;

/**
 * What the reopening rule reads beyond the locked rows: a later or a pending dispute of the call,
 * the dispute's reopenings, the payout before its latest decision. A statement of its own, after
 * the locks are held: one that waited for a lock still sees the rows as they were when it began.
 * Served by disputes_call_idx and dispute_events_dispute_idx.
 */
export const REOPEN_STANDING = `
  SELECT
    EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id
             AND (o.created_at, o.id) > (d.created_at, d.id)) AS later,
    EXISTS (SELECT 1 FROM disputes o WHERE o.call_id = d.call_id AND o.status = 'PENDING') AS pending,
    (SELECT count(*)::int FROM dispute_events e
      WHERE e.dispute_id = d.id AND e.type = 'REOPENED') AS reopenings,
    (SELECT e.payout_before_minor::text FROM dispute_events e
      WHERE e.dispute_id = d.id AND e.type = 'RESOLVED'
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS payout_before
  FROM disputes d WHERE d.id = $1`;

/** A grouping of disputeStats as SQL fragments (dispute-stats.ts). */
export interface StatsGroupSql {
  /** The key as the calls are grouped, over `s`, the calls. */
  inner: string;
  /** The key as the row shows it, over `g.k`. */
  key: string;
  label: string;
  join?: string;
  disputedOnly?: true;
}

/**
 * disputeStats in one statement, one range scan of `calls`: each call carries the status and
 * reason of its latest dispute (by createdAt, then ID; calls.latest_dispute_*, kept by a trigger
 * on `disputes`, migration 1764320000000), so no dispute is read. The calls are counted per group
 * and buyer account first (narrow rows, no names), then per group and currency with the names
 * joined to those few rows. Rows come ordered by key, then currency, byte-wise (COLLATE "C"):
 * the contract orders keys "as a plain string" whatever the database's collation.
 */
export function disputeStatsSql(g: StatsGroupSql, reachCondition: string): string {
  const status = 's.latest_dispute_status';
  return `
    WITH g AS (
      SELECT ${g.inner} AS k, s.buyer_id,
             count(*) AS calls,
             count(${status}) AS disputed,
             count(*) FILTER (WHERE ${status} = 'PENDING') AS pending,
             count(*) FILTER (WHERE ${status} = 'ACCEPTED') AS accepted,
             count(*) FILTER (WHERE ${status} = 'ACCEPTED_PARTIAL') AS accepted_partial,
             count(*) FILTER (WHERE ${status} = 'REJECTED') AS rejected,
             count(*) FILTER (WHERE ${status} = 'WITHDRAWN') AS withdrawn,
             sum(s.original_payout_minor - s.payout_minor) AS credited
        FROM calls s
       WHERE s.started_at >= $1 AND s.started_at < $2 AND ${reachCondition}
             ${g.disputedOnly ? `AND ${status} IS NOT NULL` : ''}
       GROUP BY 1, 2
    )
    SELECT ${g.key} AS key, ${g.label} AS label, a.currency,
           sum(g.calls)::int AS calls,
           sum(g.disputed)::int AS disputed,
           sum(g.pending)::int AS pending,
           sum(g.accepted)::int AS accepted,
           sum(g.accepted_partial)::int AS accepted_partial,
           sum(g.rejected)::int AS rejected,
           sum(g.withdrawn)::int AS withdrawn,
           sum(g.credited)::text AS credited
      FROM g
      JOIN accounts a ON a.id = g.buyer_id
      ${g.join ?? ''}
     GROUP BY 1, 2, 3
     ORDER BY ${g.key} COLLATE "C", a.currency COLLATE "C"`;
}

/**
 * A dispute's history, oldest first. A creation and its automatic decision share an instant
 * (rule 15): CREATED sorts first.
 */
export const EVENTS_OF_DISPUTES = `SELECT ${DISPUTE_EVENT_COLUMNS.join(', ')} FROM dispute_events
  WHERE dispute_id = ANY ($1::uuid[])
  ORDER BY at ASC, (status_before IS NOT NULL) ASC, id ASC`;

/**
 * A dispute's comments, oldest first. Served by dispute_comments_dispute_idx; a dispute holds at
 * most MAX_COMMENTS_PER_DISPUTE.
 */
export const COMMENTS_OF_DISPUTES = `SELECT ${DISPUTE_COMMENT_COLUMNS.join(', ')} FROM dispute_comments
  WHERE dispute_id = ANY ($1::uuid[]) ORDER BY created_at ASC, id ASC`;

/**
 * Per call, the newest `perCall` disputes and those that decide its disputability (pending,
 * accepted), newest first, read by the database function `disputes_of_call` with a bound per
 * call (migration DisputesStandingIndex).
 */
export const disputesOfCallsSql = (perCall: number) =>
  `SELECT ${DISPUTE_COLUMNS.map((c) => `d.${c}`).join(', ')}
  FROM unnest($1::uuid[]) AS k(call_id), disputes_of_call(k.call_id, ${perCall}) d
  ORDER BY d.created_at DESC, d.id DESC`;
