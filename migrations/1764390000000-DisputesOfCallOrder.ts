import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `disputes_of_call` orders a call's newest disputes by the columns of `disputes_call_idx`
 * itself (call_id, created_at DESC, id DESC; call_id is one value, so the order is the same).
 * With bitmap and sequential scans off, the planner could still read another index that is
 * ordered newest first and filter it by the call: for a call holding many disputes that looked
 * about as cheap, and it read every dispute newer than the call's. In the call index's own order
 * any other path must sort everything it read, which is never the cheaper plan, so the newest
 * `newest` are read from the call's index and nothing else.
 */
export class DisputesOfCallOrder1764390000000 implements MigrationInterface {
  name = 'DisputesOfCallOrder1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(body('call_id, created_at DESC, id DESC'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(body('created_at DESC, id DESC'));
  }
}

const body = (order: string) => `
  CREATE OR REPLACE FUNCTION disputes_of_call(of_call uuid, newest int) RETURNS SETOF disputes
    LANGUAGE sql STABLE
    SET enable_bitmapscan = off
    SET enable_seqscan = off
  AS $$
    (SELECT * FROM disputes WHERE call_id = of_call
      ORDER BY ${order} LIMIT newest)
    UNION
    (SELECT * FROM disputes WHERE call_id = of_call
      AND status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL'))
  $$`;
