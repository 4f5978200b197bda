// The benchmark's data, in SQL: two buyer accounts (Ann of A, Bob of B), a manager (Max),
// 20 campaigns, `calls` calls one minute apart (alternating A and B, newest now) and `disputes`
// disputes on the oldest converted calls (PENDING, REJECTED, REJECTED, PENDING, ...; one call in
// four has a recording, one in seven a hangup cause), and a third
// account (the writer, Wes) that gets fresh disputable calls of its own only before createDispute
// runs under load (seedWriterCalls), so neither the reads nor the latency table see them.
// bench/desk.js adds buyers of Ann's account with saved table settings (seedDeskUsers) and
// decided disputes of the writer to reopen (seedReopenable).
const { BUYER_ACCOUNT, BUYER, MANAGER, WRITER_ACCOUNT, WRITER } = require('./pages');

/** The three accounts, Ann, Bob, Max and Wes, and the 20 campaigns: bench/scale-seed.js's too. */
async function seedPeople(pg) {
  await pg.query(`
    INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES
      ('${BUYER_ACCOUNT}', 'Bench Buyer A', 72, 'USD'),
      ('b0000000-0000-4000-8000-00000000000b', 'Bench Buyer B', 48, 'USD'),
      ('${WRITER_ACCOUNT}', 'Bench Writer', 72, 'USD');
    INSERT INTO users (id, name, email, role, account_id, permissions) VALUES
      ('${BUYER}', 'Bench Ann', 'ann@bench.test', 'BUYER', '${BUYER_ACCOUNT}', '{DISPUTE_CALLS}'),
      ('b1000000-0000-4000-8000-00000000000b', 'Bench Bob', 'bob@bench.test', 'BUYER', 'b0000000-0000-4000-8000-00000000000b', '{DISPUTE_CALLS}'),
      ('${MANAGER}', 'Bench Max', 'max@bench.test', 'MANAGER', NULL, '{VIEW_DISPUTES,EDIT_DISPUTES}'),
      ('${WRITER}', 'Bench Wes', 'wes@bench.test', 'BUYER', '${WRITER_ACCOUNT}', '{DISPUTE_CALLS}');
    INSERT INTO campaigns (id, name, dispute_window_hours)
      SELECT ('c0000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'Campaign ' || g, CASE WHEN g % 5 = 0 THEN 24 END
      FROM generate_series(1, 20) g;`);
}

async function seed(pg, { calls, disputes, settled = true }) {
  const t = Date.now();
  await seedPeople(pg);
  await pg.query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor, payout_minor,
       duration_seconds, status, hangup_by, hangup_cause, recording_key, recording_content_type, recording_duration_seconds)
     SELECT gen_random_uuid(),
       CASE WHEN g % 2 = 0 THEN '${BUYER_ACCOUNT}'::uuid ELSE 'b0000000-0000-4000-8000-00000000000b'::uuid END,
       ('c0000000-0000-4000-8000-' || lpad((1 + g % 20)::text, 12, '0'))::uuid,
       date_trunc('milliseconds', now() - (g || ' minutes')::interval),
       '+1555' || lpad((g::bigint * 7919 % 10000000)::text, 7, '0'), '+1800555' || lpad((g % 10000)::text, 4, '0'),
       500 + g % 7500, 500 + g % 7500, g % 600,
       (ARRAY['COMPLETED_WITH_CONVERSION','COMPLETED_NO_CONVERSION','CALL_NOT_CONNECTED_WITH_CONVERSION','CALL_NOT_CONNECTED_NO_CONVERSION','IN_PROGRESS'])[1 + g % 5],
       'CALLER', CASE WHEN g % 7 = 0 THEN 'normal clearing' END,
       -- One call in four has a recording (shown by the pages with every column).
       CASE WHEN g % 4 = 0 THEN 'recordings/bench-' || g || '.mp3' END,
       CASE WHEN g % 4 = 0 THEN 'audio/mpeg' END, CASE WHEN g % 4 = 0 THEN g % 600 END
     FROM generate_series(1, $1) g`,
    [calls],
  );
  await pg.query(
    `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at, review_due_at, decided_at, decided_by, adjustment_minor)
     SELECT gen_random_uuid(), c.id, c.buyer_id, s.status, 'INVALID_CALLER', c.started_at,
       CASE WHEN c.buyer_id = '${BUYER_ACCOUNT}' THEN '${BUYER}'::uuid ELSE 'b1000000-0000-4000-8000-00000000000b'::uuid END,
       c.started_at + interval '1 hour', c.started_at + interval '49 hours',
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE c.started_at + interval '2 hours' END,
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE '${MANAGER}'::uuid END,
       CASE WHEN s.status = 'PENDING' THEN NULL ELSE 0 END
     FROM (SELECT id, buyer_id, started_at, row_number() OVER (ORDER BY started_at ASC) AS n FROM calls
           WHERE status IN ('COMPLETED_WITH_CONVERSION', 'CALL_NOT_CONNECTED_WITH_CONVERSION')) c
     CROSS JOIN LATERAL (SELECT (ARRAY['PENDING','REJECTED','REJECTED','PENDING'])[1 + c.n % 4] AS status) s
     WHERE c.n <= $1`,
    [disputes],
  );
  if (settled) await settle(pg);
  else await pg.query('ANALYZE');
  return Date.now() - t;
}

/**
 * The tables as autovacuum soon leaves them after a bulk insert: statistics gathered, and the
 * GIN indexes' pending lists (the trigram indexes of search: every row inserted since the last
 * vacuum, which each search otherwise scans in full) merged into the indexes.
 */
async function settle(pg) {
  await pg.query(`SELECT gin_clean_pending_list(i.indexrelid)
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_am am ON am.oid = c.relam
                   WHERE am.amname = 'gin'`);
  await pg.query('ANALYZE');
}

/**
 * `n` converted calls of the writer, 10 ms apart going back from `agoSql` ago, ids `prefix`
 * then the number, originally paying 25.00 and now `payoutMinor`; campaign 1 has no window of
 * its own (the writer's 72 hours apply).
 */
async function insertWriterCalls(pg, { n, prefix, callerPrefix, agoSql, payoutMinor }) {
  await pg.query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor, payout_minor,
       duration_seconds, status, hangup_by)
     SELECT ('${prefix}-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, '${WRITER_ACCOUNT}',
       'c0000000-0000-4000-8000-000000000001', date_trunc('milliseconds', now() - ${agoSql} - (g * 10 || ' milliseconds')::interval),
       '${callerPrefix}' || lpad(g::text, 7, '0'), '+18005550001', 2500, ${payoutMinor}, 60, 'COMPLETED_WITH_CONVERSION', 'CALLER'
     FROM generate_series(1, $1) g`,
    [n],
  );
}

/** `n` fresh calls of the writer, all disputable. */
async function seedWriterCalls(pg, n) {
  const t = Date.now();
  await insertWriterCalls(pg, {
    n,
    prefix: 'e0000000',
    callerPrefix: '+1666',
    agoSql: "interval '0'",
    payoutMinor: 2500,
  });
  await pg.query('ANALYZE');
  return Date.now() - t;
}

/** The id of the writer's n-th fresh call (1-based). */
const writerCallId = (n) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The n-th desk user (1-based): a buyer of Ann's account, for the table settings bench. */
const deskUserId = (n) => `a2000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * `n` more buyers of Ann's account (bench/desk.js's table settings), each with saved DISPUTES
 * settings at version 1 (columns, rows per page and an order), as a save leaves them.
 */
async function seedDeskUsers(pg, n) {
  await pg.query(
    `INSERT INTO users (id, name, email, role, account_id, permissions)
     SELECT ('a2000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'Desk User ' || g,
       'desk' || g || '@bench.test', 'BUYER', '${BUYER_ACCOUNT}', '{DISPUTE_CALLS}'
     FROM generate_series(1, $1) g`,
    [n],
  );
  await pg.query(
    `INSERT INTO table_settings (user_id, table_name, columns, page_size, dispute_order_field,
       dispute_order_direction, version, updated_at)
     SELECT ('a2000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'DISPUTES',
       '{STATUS,CALL_DATE,CALLER_ID,PAYOUT,REASON,DECISION}', 50, 'CALL_DATE', 'DESC', 1,
       date_trunc('milliseconds', now())
     FROM generate_series(1, $1) g`,
    [n],
  );
}

/** The n-th decided dispute of the writer that a manager may reopen (1-based), and its call. */
const reopenableId = (n) => `f1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const reopenableCallId = (n) => `f0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * `n` disputes of the writer, each its call's only one, decided an hour ago by Max
 * (ACCEPTED_PARTIAL, 5.00 off a 25.00 payout) with their history as a decision leaves it
 * (CREATED, then RESOLVED with the payout before and after): each may be reopened (rule 20),
 * which gives the call its 25.00 back.
 */
async function seedReopenable(pg, n) {
  const t = Date.now();
  await insertWriterCalls(pg, {
    n,
    prefix: 'f0000000',
    callerPrefix: '+1777',
    agoSql: "interval '3 hours'",
    payoutMinor: 2000,
  });
  await pg.query(
    `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at,
       review_due_at, decided_at, decided_by, adjustment_minor)
     SELECT ('f1000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, c.id, c.buyer_id, 'ACCEPTED_PARTIAL',
       'INVALID_CALLER', c.started_at, '${WRITER}', c.started_at + interval '1 hour',
       c.started_at + interval '49 hours', c.started_at + interval '2 hours', '${MANAGER}', 500
     FROM generate_series(1, $1) g
     JOIN calls c ON c.id = ('f0000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid`,
    [n],
  );
  await pg.query(
    `INSERT INTO dispute_events (id, dispute_id, type, at, actor_id, status_before, status_after,
       payout_before_minor, payout_after_minor, currency)
     SELECT gen_random_uuid(), d.id, e.type, e.at, e.actor, e.before, e.after, 2500, e.payout, 'USD'
     FROM disputes d
     CROSS JOIN LATERAL (VALUES
       ('CREATED', d.created_at, d.created_by, NULL, 'PENDING', 2500),
       ('RESOLVED', d.decided_at, d.decided_by, 'PENDING', 'ACCEPTED_PARTIAL', 2000)
     ) AS e(type, at, actor, before, after, payout)
     WHERE d.id::text LIKE 'f1000000-%'`,
  );
  await pg.query('ANALYZE calls, disputes, dispute_events');
  return Date.now() - t;
}

module.exports = {
  seed,
  seedPeople,
  seedWriterCalls,
  writerCallId,
  settle,
  deskUserId,
  seedDeskUsers,
  reopenableId,
  reopenableCallId,
  seedReopenable,
};
