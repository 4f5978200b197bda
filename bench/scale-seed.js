// The scale benchmark's data, streamed with COPY: the same shape as bench/seed.js (two buyer
// accounts and the writer's, Ann, Bob, Max and Wes, 20 campaigns, `calls` calls one minute apart
// alternating A and B, newest now, `disputes` disputes on the oldest converted calls, PENDING,
// REJECTED, REJECTED, PENDING, ...) so a 50k and a 1M database differ in size only. Ids are
// random, as the API's own are, so index locality is not flattered by sequential keys.
// The secondary indexes of calls and disputes are dropped during the COPY and rebuilt after it
// (one sorted build each instead of a million insertions; the trigram indexes dominate). The
// trigger that keeps each call's latest dispute (migration 1764320000000) is off during the
// COPY and its columns are filled by one statement after it, as the migration fills them.
const { randomUUID } = require('node:crypto');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { from: copyFrom } = require('pg-copy-streams');
const { BUYER_ACCOUNT, BUYER, MANAGER } = require('./pages');
const { seedPeople } = require('./seed');

const ACCOUNT_B = 'b0000000-0000-4000-8000-00000000000b';
const BOB = 'b1000000-0000-4000-8000-00000000000b';
const STATUSES = [
  'COMPLETED_WITH_CONVERSION',
  'COMPLETED_NO_CONVERSION',
  'CALL_NOT_CONNECTED_WITH_CONVERSION',
  'CALL_NOT_CONNECTED_NO_CONVERSION',
  'IN_PROGRESS',
];
const DISPUTE_STATUSES = ['PENDING', 'REJECTED', 'REJECTED', 'PENDING'];
const HOUR = 3_600_000;
const campaignId = (n) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Lines of COPY text, joined into chunks of a few hundred KiB for the stream. */
function* chunks(lines, per = 4000) {
  let buf = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length === per) {
      yield `${buf.join('\n')}\n`;
      buf = [];
    }
  }
  if (buf.length) yield `${buf.join('\n')}\n`;
}

async function copy(pg, sql, lines) {
  await pipeline(Readable.from(chunks(lines)), pg.query(copyFrom(sql)));
}

/** Non-constraint indexes of the tables, as their CREATE statements. */
async function secondaryIndexes(pg, tables) {
  const { rows } = await pg.query(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [tables],
  );
  return rows;
}

/**
 * Seeds an empty, migrated database. Returns the time of each phase in ms:
 * { calls, disputes, indexes, analyze, total }.
 */
async function seedScale(pg, { calls, disputes }) {
  const t0 = Date.now();
  await seedPeople(pg);
  const indexes = await secondaryIndexes(pg, ['calls', 'disputes']);
  for (const { name } of indexes) await pg.query(`DROP INDEX "${name}"`);

  const {
    rows: [{ now }],
  } = await pg.query(`SELECT date_trunc('milliseconds', now()) AS now`);
  const base = now.getTime();
  // Oldest first (g = calls down to 1), so the n-th converted call seen is the n-th oldest:
  // the disputes go to the first `disputes` of them, as in bench/seed.js.
  const disputeRows = [];
  function* callLines() {
    let converted = 0;
    for (let g = calls; g >= 1; g--) {
      const id = randomUUID();
      const buyer = g % 2 === 0 ? BUYER_ACCOUNT : ACCOUNT_B;
      const startedMs = base - g * 60_000;
      const started = new Date(startedMs).toISOString();
      const payout = 500 + (g % 7500);
      const status = STATUSES[g % 5];
      yield [
        id,
        buyer,
        campaignId(1 + (g % 20)),
        started,
        `+1555${String((g * 7919) % 10_000_000).padStart(7, '0')}`,
        `+1800555${String(g % 10_000).padStart(4, '0')}`,
        payout,
        payout,
        g % 600,
        status,
        'CALLER',
      ].join('\t');
      if (status.endsWith('_WITH_CONVERSION') && converted < disputes) {
        converted += 1;
        const ds = DISPUTE_STATUSES[converted % 4];
        const pending = ds === 'PENDING';
        disputeRows.push(
          [
            randomUUID(),
            id,
            buyer,
            ds,
            'INVALID_CALLER',
            started,
            buyer === BUYER_ACCOUNT ? BUYER : BOB,
            new Date(startedMs + HOUR).toISOString(),
            new Date(startedMs + 49 * HOUR).toISOString(), // review_due_at: REVIEW_SLA_HOURS 48
            pending ? '\\N' : new Date(startedMs + 2 * HOUR).toISOString(),
            pending ? '\\N' : MANAGER,
            pending ? '\\N' : 0,
          ].join('\t'),
        );
      }
    }
  }
  const t1 = Date.now();
  await copy(
    pg,
    `COPY calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
       payout_minor, duration_seconds, status, hangup_by) FROM STDIN`,
    callLines(),
  );
  const t2 = Date.now();
  await pg.query('ALTER TABLE disputes DISABLE TRIGGER disputes_latest_on_call');
  await copy(
    pg,
    `COPY disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by, created_at,
       review_due_at, decided_at, decided_by, adjustment_minor) FROM STDIN`,
    disputeRows,
  );
  await pg.query('ALTER TABLE disputes ENABLE TRIGGER disputes_latest_on_call');
  await pg.query(`
    UPDATE calls c SET latest_dispute_status = l.status, latest_dispute_reason = l.reason
      FROM (SELECT DISTINCT ON (call_id) call_id, status, reason FROM disputes
             ORDER BY call_id, created_at DESC, id DESC) l
     WHERE l.call_id = c.id`);
  const t3 = Date.now();
  await pg.query(`SET maintenance_work_mem = '256MB'`);
  for (const { def } of indexes) await pg.query(def);
  const t4 = Date.now();
  await pg.query('VACUUM ANALYZE calls, disputes, accounts, users, campaigns');
  const t5 = Date.now();
  return {
    calls: t2 - t1,
    disputes: t3 - t2,
    indexes: t4 - t3,
    analyze: t5 - t4,
    total: t5 - t0,
    rebuilt: indexes.map((i) => i.name),
  };
}

module.exports = { seedScale };
