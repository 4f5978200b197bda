/*
 * The SQL of the webhooks feature, one statement a constant or a function of the fragments it is
 * built from (`managed`: the endpoints the viewer manages, auth/visibility.ts; `channel`: the
 * channel the delivery workers LISTEN on).
 */

/** The endpoints `managed` names, oldest first, at most `limit`. */
export const listEndpointsSql = (managed: string, limit: number) =>
  `SELECT e.* FROM webhook_endpoints e
      WHERE ${managed}
      ORDER BY e.created_at, e.id
      LIMIT ${limit}`;

/** One endpoint by ID among those `managed` names. */
export const findEndpointSql = (managed: string) =>
  `SELECT e.* FROM webhook_endpoints e WHERE e.id = $1 AND ${managed}`;

/** Takes the transaction's lock of one owner's endpoints, so concurrent creations queue up. */
export const LOCK_ENDPOINT_OWNER = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;

/** Counts the endpoints `managed` names. */
export const countEndpointsSql = (managed: string) =>
  `SELECT count(*)::int AS n FROM webhook_endpoints e WHERE ${managed}`;

/** Creates an endpoint and returns it as stored. */
export const INSERT_ENDPOINT = `INSERT INTO webhook_endpoints (id, account_id, url, events, secret, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`;

/**
 * Locks one endpoint among those `managed` names: FOR UPDATE waits for the transactions writing
 * deliveries for it (they hold its row FOR KEY SHARE), so its delete sees and drops them too.
 */
export const lockEndpointSql = (managed: string) =>
  `SELECT e.id FROM webhook_endpoints e WHERE e.id = $1 AND ${managed} FOR UPDATE`;

/** Marks an endpoint deleted. */
export const DELETE_ENDPOINT = 'UPDATE webhook_endpoints SET deleted_at = $2 WHERE id = $1';

/** Drops an endpoint's pending deliveries. */
export const DELETE_PENDING_DELIVERIES = `DELETE FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING'`;

/**
 * Queues one more attempt of a delivery of an endpoint `managed` names: PENDING, due now unless
 * an attempt's lease is running; one statement with the NOTIFY that wakes the workers on commit.
 */
export const redeliverSql = (managed: string, channel: string) =>
  `WITH queued AS (
       UPDATE webhook_deliveries d
          SET status = 'PENDING',
              next_attempt_at = CASE WHEN d.lease_id IS NOT NULL AND d.next_attempt_at > now()
                                     THEN d.next_attempt_at ELSE now() END
         FROM webhook_endpoints e
        WHERE d.id = $1 AND e.id = d.endpoint_id AND ${managed}
       RETURNING d.*)
     -- One statement: the delivery, and the NOTIFY that wakes the workers when it commits.
     SELECT queued.*, pg_notify('${channel}', '') AS woken FROM queued`;

/** The select of an endpoint's deliveries, to which the keyset page adds its conditions. */
export const SELECT_DELIVERIES = 'SELECT wd.* FROM webhook_deliveries wd';

/**
 * The outbox: one delivery per endpoint subscribed to the event that `receiving` lets receive it,
 * one row returned for each. FOR KEY SHARE waits for a delete holding the endpoint's row and then
 * reads the row again.
 */
export const queueDeliveriesSql = (receiving: string) =>
  `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status,
         attempts, next_attempt_at)
       SELECT gen_random_uuid(), e.id, $1, $2, $3, 'PENDING', 0, now()
         FROM webhook_endpoints e
        WHERE e.deleted_at IS NULL AND $2 = ANY (e.events) AND ${receiving}
          FOR KEY SHARE OF e
       RETURNING 1`;

/** A NOTIFY on `channel` when `queued` (the rows queueDeliveriesSql returned) has a row. */
export const wakeWorkersSql = (queued: string, channel: string) =>
  `(SELECT pg_notify('${channel}', '') FROM ${queued} LIMIT 1)`;

/**
 * Claims due deliveries with a lease: per endpoint its oldest due ones, at most $2 less those in
 * flight ($3), each endpoint's first before anyone's second, at most $1, locked with SKIP LOCKED,
 * attempts + 1 and next_attempt_at = now + $4 ms.
 */
export const CLAIM_DELIVERIES = `WITH candidates AS (
         SELECT c.id, c.next_attempt_at, c.rn
           FROM webhook_endpoints e
          CROSS JOIN LATERAL (
                SELECT d.id, d.next_attempt_at,
                       row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS rn
                  FROM webhook_deliveries d
                 WHERE d.endpoint_id = e.id AND d.status = 'PENDING'
                   AND d.next_attempt_at <= now()
                 ORDER BY d.next_attempt_at, d.id
                 LIMIT GREATEST($2::int - coalesce(($3::jsonb ->> e.id::text)::int, 0), 0)) c
          -- A deleted endpoint gets no further attempts.
          WHERE e.deleted_at IS NULL),
       picked AS (
         SELECT d.id
           FROM webhook_deliveries d
           JOIN candidates r ON r.id = d.id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
          ORDER BY r.rn, r.next_attempt_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now(), lease_id = gen_random_uuid(),
              next_attempt_at = now() + $4 * interval '1 millisecond'
         FROM picked, webhook_endpoints e
        WHERE d.id = picked.id AND e.id = d.endpoint_id
      RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, d.lease_id,
                e.url, e.secret`;

/** Milliseconds until the next pending delivery comes due, leaving out the endpoints in $1. */
export const NEXT_DUE_MS = `SELECT EXTRACT(EPOCH FROM min(d.next_attempt_at) - now()) * 1000 AS ms
         FROM webhook_deliveries d
        WHERE d.status = 'PENDING' AND NOT (d.endpoint_id = ANY ($1::uuid[]))
          AND EXISTS (SELECT 1 FROM webhook_endpoints e
                       WHERE e.id = d.endpoint_id AND e.deleted_at IS NULL)`;

/** Records a successful attempt, by the claim holding the lease only; returns its age in seconds. */
export const RECORD_DELIVERY_SUCCEEDED = `UPDATE webhook_deliveries
            SET status = 'SUCCEEDED', next_attempt_at = NULL, lease_id = NULL,
                last_response_status = $3
          WHERE id = $1 AND lease_id = $2
        RETURNING EXTRACT(EPOCH FROM clock_timestamp() - created_at) AS seconds`;

/** Records a failed attempt (by the lease holder only): FAILED, or PENDING again after $5 seconds. */
export const RECORD_DELIVERY_FAILED = `UPDATE webhook_deliveries
          SET status = $3, lease_id = NULL, last_response_status = $4,
              next_attempt_at = CASE WHEN $3 = 'PENDING'
                THEN now() + $5 * interval '1 second' END
        WHERE id = $1 AND lease_id = $2`;
