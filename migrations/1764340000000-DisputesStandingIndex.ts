import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Call.disputes answers a call's newest 50 disputes, and Call.disputability needs its pending
 * and accepted ones; a buyer who disputes and withdraws a call again and again grows its
 * disputes without limit, so both are read with a bound per call:
 *
 * - `disputes_call_idx` gains the ID (it breaks ties of the millisecond), so the newest rows
 *   come in the list's own order and a LIMIT stops after as many rows as it answers;
 * - `disputes_standing_call_idx` holds only the disputes that decide disputability (pending,
 *   accepted: at most one of each a call), its predicate written as dispute-rules.ts's
 *   STANDING_STATUSES_SQL so PostgreSQL proves queries that repeat it may use it;
 * - `disputes_of_call(call, newest)` reads both. The planner estimates a call's disputes by
 *   the average (the call is a parameter), so for a call far above it a bitmap scan that reads
 *   every row and sorts them looks as cheap as the ordered index scan; the function plans its
 *   body with bitmap and sequential scans off, which leaves only the bounded scans.
 */
export class DisputesStandingIndex1764340000000 implements MigrationInterface {
  name = 'DisputesStandingIndex1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX disputes_call_idx`);
    await q.query(`CREATE INDEX disputes_call_idx ON disputes (call_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX disputes_standing_call_idx ON disputes (call_id)
        WHERE status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL')`,
    );
    await q.query(`
      CREATE FUNCTION disputes_of_call(of_call uuid, newest int) RETURNS SETOF disputes
        LANGUAGE sql STABLE
        SET enable_bitmapscan = off
        SET enable_seqscan = off
      AS $$
        (SELECT * FROM disputes WHERE call_id = of_call
          ORDER BY created_at DESC, id DESC LIMIT newest)
        UNION
        (SELECT * FROM disputes WHERE call_id = of_call
          AND status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL'))
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION disputes_of_call(uuid, int)`);
    await q.query(`DROP INDEX disputes_standing_call_idx`);
    await q.query(`DROP INDEX disputes_call_idx`);
    await q.query(`CREATE INDEX disputes_call_idx ON disputes (call_id, created_at DESC)`);
  }
}
