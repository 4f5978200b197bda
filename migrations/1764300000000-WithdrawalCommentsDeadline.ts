import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rules 12-14: WITHDRAWN disputes (who withdrew and when), the dispute conversation
 * (dispute_comments, DISPUTE_WITHDRAWN and DISPUTE_COMMENTED notifications) and review
 * deadlines (disputes.review_due_at). Disputes created before this migration get the default
 * deadline of 48 hours.
 */
export class WithdrawalCommentsDeadline1764300000000 implements MigrationInterface {
  name = 'WithdrawalCommentsDeadline1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // WITHDRAWN sorts after REJECTED: the generated rank changes, so it and its indexes are rebuilt.
    await q.query(`DROP INDEX disputes_status_order_idx`);
    await q.query(`DROP INDEX disputes_buyer_status_order_idx`);
    await q.query(`ALTER TABLE disputes DROP COLUMN status_rank`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_status_check`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_status_check
      CHECK (status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'))`);
    await q.query(`ALTER TABLE disputes ADD COLUMN status_rank smallint
      GENERATED ALWAYS AS (CASE status WHEN 'PENDING' THEN 0 WHEN 'ACCEPTED' THEN 1
        WHEN 'ACCEPTED_PARTIAL' THEN 2 WHEN 'REJECTED' THEN 3 ELSE 4 END) STORED`);
    await q.query(
      `CREATE INDEX disputes_status_order_idx ON disputes (status_rank, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX disputes_buyer_status_order_idx ON disputes (buyer_id, status_rank, created_at DESC, id DESC)`,
    );

    // A withdrawn dispute has no decision, and records who withdrew it and when.
    await q.query(`ALTER TABLE disputes ADD COLUMN withdrawn_at timestamptz(3)`);
    await q.query(`ALTER TABLE disputes ADD COLUMN withdrawn_by uuid REFERENCES users (id)`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_decision_complete`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_decision_complete CHECK (
      (status IN ('PENDING', 'WITHDRAWN')) = (decided_at IS NULL)
      AND (decided_at IS NULL) = (decided_by IS NULL)
      AND (decided_at IS NULL) = (adjustment_minor IS NULL))`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_withdrawal_complete CHECK (
      (status = 'WITHDRAWN') = (withdrawn_at IS NOT NULL)
      AND (withdrawn_at IS NULL) = (withdrawn_by IS NULL))`);

    // The review deadline, fixed at creation.
    await q.query(`ALTER TABLE disputes ADD COLUMN review_due_at timestamptz(3)`);
    await q.query(`UPDATE disputes SET review_due_at = created_at + interval '48 hours'`);
    await q.query(`ALTER TABLE disputes ALTER COLUMN review_due_at SET NOT NULL`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_review_due_after_created
      CHECK (review_due_at > created_at)`);
    // The REVIEW_DUE_AT order (either direction), for every account and for one.
    await q.query(`CREATE INDEX disputes_review_due_idx ON disputes (review_due_at, id)`);
    await q.query(
      `CREATE INDEX disputes_buyer_review_due_idx ON disputes (buyer_id, review_due_at, id)`,
    );
    // overdueDisputesCount and filter.overdue: PENDING disputes by deadline.
    await q.query(
      `CREATE INDEX disputes_pending_due_idx ON disputes (review_due_at) WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX disputes_pending_buyer_due_idx ON disputes (buyer_id, review_due_at) WHERE status = 'PENDING'`,
    );

    await q.query(`ALTER TABLE dispute_events DROP CONSTRAINT dispute_events_type_check`);
    await q.query(`ALTER TABLE dispute_events ADD CONSTRAINT dispute_events_type_check
      CHECK (type IN ('CREATED', 'RESOLVED', 'WITHDRAWN'))`);

    await q.query(`
      CREATE TABLE dispute_comments (
        id uuid PRIMARY KEY,
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        author_id uuid NOT NULL REFERENCES users (id),
        author_role text NOT NULL CHECK (author_role IN ('BUYER', 'MANAGER')),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
        visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        -- Only managers write INTERNAL comments.
        CONSTRAINT dispute_comments_internal_by_manager
          CHECK (visibility = 'SHARED' OR author_role = 'MANAGER')
      )`);
    await q.query(
      `CREATE INDEX dispute_comments_dispute_idx ON dispute_comments (dispute_id, created_at, id)`,
    );

    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('DISPUTE_CREATED', 'DISPUTE_RESOLVED', 'DISPUTE_WITHDRAWN', 'DISPUTE_COMMENTED'))`);
    // A DISPUTE_COMMENTED notification names its comment (the live hub sends exactly those).
    await q.query(
      `ALTER TABLE notifications ADD COLUMN comment_id uuid REFERENCES dispute_comments (id)`,
    );
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_comment_kind
      CHECK ((kind = 'DISPUTE_COMMENTED') = (comment_id IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM notifications WHERE kind IN ('DISPUTE_WITHDRAWN', 'DISPUTE_COMMENTED')`,
    );
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_comment_kind`);
    await q.query(`ALTER TABLE notifications DROP COLUMN comment_id`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('DISPUTE_CREATED', 'DISPUTE_RESOLVED'))`);
    await q.query(`DROP TABLE dispute_comments`);
    // dispute_events keeps allowing WITHDRAWN: the audit trail is append-only, never rewritten.
    await q.query(`DROP INDEX disputes_pending_buyer_due_idx`);
    await q.query(`DROP INDEX disputes_pending_due_idx`);
    await q.query(`DROP INDEX disputes_buyer_review_due_idx`);
    await q.query(`DROP INDEX disputes_review_due_idx`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_review_due_after_created`);
    await q.query(`ALTER TABLE disputes DROP COLUMN review_due_at`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_withdrawal_complete`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_decision_complete`);
    // A withdrawn dispute reads as REJECTED by its withdrawer, payout unchanged: what the old
    // schema can hold, and what it means for disputability.
    await q.query(`UPDATE disputes SET status = 'REJECTED', decided_at = withdrawn_at,
      decided_by = withdrawn_by, adjustment_minor = 0 WHERE status = 'WITHDRAWN'`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_decision_complete CHECK (
      (status = 'PENDING') = (decided_at IS NULL)
      AND (decided_at IS NULL) = (decided_by IS NULL)
      AND (decided_at IS NULL) = (adjustment_minor IS NULL))`);
    await q.query(`ALTER TABLE disputes DROP COLUMN withdrawn_by`);
    await q.query(`ALTER TABLE disputes DROP COLUMN withdrawn_at`);
    await q.query(`DROP INDEX disputes_status_order_idx`);
    await q.query(`DROP INDEX disputes_buyer_status_order_idx`);
    await q.query(`ALTER TABLE disputes DROP COLUMN status_rank`);
    await q.query(`ALTER TABLE disputes DROP CONSTRAINT disputes_status_check`);
    await q.query(`ALTER TABLE disputes ADD CONSTRAINT disputes_status_check
      CHECK (status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'))`);
    await q.query(`ALTER TABLE disputes ADD COLUMN status_rank smallint
      GENERATED ALWAYS AS (CASE status WHEN 'PENDING' THEN 0
        WHEN 'ACCEPTED' THEN 1 WHEN 'ACCEPTED_PARTIAL' THEN 2 ELSE 3 END) STORED`);
    await q.query(
      `CREATE INDEX disputes_status_order_idx ON disputes (status_rank, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX disputes_buyer_status_order_idx ON disputes (buyer_id, status_rank, created_at DESC, id DESC)`,
    );
  }
}
