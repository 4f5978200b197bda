import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rule 20, reopening a decision: the REOPENED history event with its `note` (the manager's
 * reason, on REOPENED events only), the DISPUTE_REOPENED notification and the
 * `dispute.reopened` webhook event.
 */
export class ReopenDecisions1764360000000 implements MigrationInterface {
  name = 'ReopenDecisions1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dispute_events DROP CONSTRAINT dispute_events_type_check`);
    await q.query(`ALTER TABLE dispute_events ADD CONSTRAINT dispute_events_type_check
      CHECK (type IN ('CREATED', 'RESOLVED', 'WITHDRAWN', 'REOPENED'))`);
    // No default and no rewrite: the append-only triggers fire on no row.
    await q.query(`ALTER TABLE dispute_events ADD COLUMN note text`);
    await q.query(`ALTER TABLE dispute_events ADD CONSTRAINT dispute_events_note_of_reopened
      CHECK ((type = 'REOPENED') = (note IS NOT NULL)
        AND (note IS NULL OR length(note) BETWEEN 1 AND 2000))`);

    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('DISPUTE_CREATED', 'DISPUTE_RESOLVED', 'DISPUTE_WITHDRAWN',
        'DISPUTE_COMMENTED', 'DISPUTE_REOPENED'))`);

    await q.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check`);
    await q.query(`ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check
      CHECK (cardinality(events) > 0 AND events <@ ARRAY['dispute.created', 'dispute.resolved',
        'dispute.withdrawn', 'dispute.commented', 'dispute.reopened']::text[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Endpoints that asked for nothing else go, with their deliveries (ON DELETE CASCADE).
    await q.query(`DELETE FROM webhook_deliveries WHERE event_type = 'dispute.reopened'`);
    await q.query(`DELETE FROM webhook_endpoints WHERE events = ARRAY['dispute.reopened']::text[]`);
    await q.query(
      `UPDATE webhook_endpoints SET events = array_remove(events, 'dispute.reopened')
        WHERE 'dispute.reopened' = ANY (events)`,
    );
    await q.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check`);
    await q.query(`ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check
      CHECK (cardinality(events) > 0 AND events <@ ARRAY['dispute.created', 'dispute.resolved',
        'dispute.withdrawn', 'dispute.commented']::text[])`);

    await q.query(`DELETE FROM notifications WHERE kind = 'DISPUTE_REOPENED'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('DISPUTE_CREATED', 'DISPUTE_RESOLVED', 'DISPUTE_WITHDRAWN',
        'DISPUTE_COMMENTED'))`);

    // dispute_events keeps allowing REOPENED: the audit trail is append-only, never rewritten.
    // The reasons go with their column; the code before this migration does not read them.
    await q.query(`ALTER TABLE dispute_events DROP CONSTRAINT dispute_events_note_of_reopened`);
    await q.query(`ALTER TABLE dispute_events DROP COLUMN note`);
  }
}
