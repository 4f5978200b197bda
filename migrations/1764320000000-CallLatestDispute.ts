import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * disputeStats (rule 16) counts each disputed call once, by its latest dispute (createdAt, then
 * ID). Finding that dispute per call at query time (DISTINCT ON over a range of disputes,
 * hash-joined to the range of calls) cost 450-550 ms for 90 days at 1M calls / 200k disputes;
 * kept on the call, the statistics are one range scan of `calls` (about 100 ms, BENCHMARKS.md).
 * A trigger keeps the two columns in step with every write to `disputes`, whoever makes it
 * (transitions, import, fixtures), in the writing transaction; createDispute and decisions
 * already hold the call's row lock, so it adds no lock order.
 */
export class CallLatestDispute1764320000000 implements MigrationInterface {
  name = 'CallLatestDispute1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE calls
        ADD COLUMN latest_dispute_status text,
        ADD COLUMN latest_dispute_reason text,
        ADD CONSTRAINT calls_latest_dispute_complete
          CHECK ((latest_dispute_status IS NULL) = (latest_dispute_reason IS NULL))`);
    await q.query(`
      CREATE FUNCTION calls_refresh_latest_dispute(of_call uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE calls
           SET (latest_dispute_status, latest_dispute_reason) = (
                 SELECT d.status, d.reason FROM disputes d
                  WHERE d.call_id = of_call ORDER BY d.created_at DESC, d.id DESC LIMIT 1)
         WHERE id = of_call
      $$`);
    await q.query(`
      CREATE FUNCTION disputes_refresh_call_latest() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM calls_refresh_latest_dispute(OLD.call_id); END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.call_id <> OLD.call_id) THEN
          PERFORM calls_refresh_latest_dispute(NEW.call_id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER disputes_latest_on_call
      AFTER INSERT OR DELETE OR UPDATE OF call_id, status, reason, created_at ON disputes
      FOR EACH ROW EXECUTE FUNCTION disputes_refresh_call_latest()`);
    await q.query(`
      UPDATE calls c SET latest_dispute_status = l.status, latest_dispute_reason = l.reason
        FROM (SELECT DISTINCT ON (call_id) call_id, status, reason FROM disputes
               ORDER BY call_id, created_at DESC, id DESC) l
       WHERE l.call_id = c.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER disputes_latest_on_call ON disputes`);
    await q.query(`DROP FUNCTION disputes_refresh_call_latest()`);
    await q.query(`DROP FUNCTION calls_refresh_latest_dispute(uuid)`);
    await q.query(`
      ALTER TABLE calls DROP CONSTRAINT calls_latest_dispute_complete,
        DROP COLUMN latest_dispute_reason, DROP COLUMN latest_dispute_status`);
  }
}
