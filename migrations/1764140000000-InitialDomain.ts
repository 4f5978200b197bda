import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole domain: accounts, users, campaigns, calls, disputes and their audit trail,
 * evidence, notifications and idempotency keys. Money is integer minor units.
 */
export class InitialDomain1764140000000 implements MigrationInterface {
  name = 'InitialDomain1764140000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        dispute_window_hours integer NOT NULL CHECK (dispute_window_hours > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('BUYER', 'MANAGER')),
        account_id uuid REFERENCES accounts (id),
        permissions text[] NOT NULL DEFAULT '{}'
          CHECK (permissions <@ ARRAY['DISPUTE_CALLS', 'VIEW_DISPUTES', 'EDIT_DISPUTES']::text[]),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_buyer_has_account CHECK ((role = 'BUYER') = (account_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE INDEX users_account_idx ON users (account_id)`);

    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        dispute_window_hours integer CHECK (dispute_window_hours > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE calls (
        id uuid PRIMARY KEY,
        buyer_id uuid NOT NULL REFERENCES accounts (id),
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        started_at timestamptz(3) NOT NULL,
        caller_id text NOT NULL,
        destination text NOT NULL,
        original_payout_minor bigint NOT NULL CHECK (original_payout_minor >= 0),
        payout_minor bigint NOT NULL CHECK (payout_minor >= 0 AND payout_minor <= original_payout_minor),
        duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
        status text NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED_WITH_CONVERSION',
          'COMPLETED_NO_CONVERSION', 'CALL_NOT_CONNECTED_WITH_CONVERSION', 'CALL_NOT_CONNECTED_NO_CONVERSION')),
        hangup_by text CHECK (hangup_by IN ('CALLER', 'TARGET', 'SYSTEM')),
        hangup_cause text,
        recording_key text,
        recording_content_type text,
        recording_duration_seconds integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calls_recording_complete CHECK ((recording_key IS NULL) = (recording_content_type IS NULL))
      )`);
    await q.query(
      `CREATE INDEX calls_buyer_started_idx ON calls (buyer_id, started_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX calls_started_idx ON calls (started_at DESC, id DESC)`);
    await q.query(`CREATE INDEX calls_campaign_idx ON calls (campaign_id)`);
    await q.query(
      `CREATE INDEX calls_caller_id_trgm_idx ON calls USING gin (caller_id gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX calls_destination_trgm_idx ON calls USING gin (destination gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE disputes (
        id uuid PRIMARY KEY,
        call_id uuid NOT NULL REFERENCES calls (id),
        buyer_id uuid NOT NULL REFERENCES accounts (id),
        status text NOT NULL DEFAULT 'PENDING'
          CHECK (status IN ('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED')),
        status_rank smallint GENERATED ALWAYS AS (CASE status WHEN 'PENDING' THEN 0
          WHEN 'ACCEPTED' THEN 1 WHEN 'ACCEPTED_PARTIAL' THEN 2 ELSE 3 END) STORED,
        reason text NOT NULL CHECK (reason IN ('CALLER_HUNG_UP_IMMEDIATELY', 'CALL_NOT_CONNECTED',
          'INVALID_CALLER', 'DUPLICATE_CALL', 'DID_NOT_MEET_QUALIFICATION', 'TECHNICAL_ISSUES', 'OTHER')),
        additional_info text CHECK (length(additional_info) <= 2000),
        call_started_at timestamptz(3) NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        decided_at timestamptz(3),
        decided_by uuid REFERENCES users (id),
        adjustment_minor bigint CHECK (adjustment_minor >= 0),
        decision_comment text CHECK (length(decision_comment) <= 2000),
        CONSTRAINT disputes_decision_complete CHECK (
          (status = 'PENDING') = (decided_at IS NULL)
          AND (decided_at IS NULL) = (decided_by IS NULL)
          AND (decided_at IS NULL) = (adjustment_minor IS NULL))
      )`);
    // One PENDING dispute per call, held by the database.
    await q.query(
      `CREATE UNIQUE INDEX disputes_one_pending_per_call ON disputes (call_id) WHERE status = 'PENDING'`,
    );
    await q.query(`CREATE INDEX disputes_call_idx ON disputes (call_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX disputes_status_order_idx ON disputes (status_rank, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX disputes_buyer_status_order_idx ON disputes (buyer_id, status_rank, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX disputes_buyer_created_idx ON disputes (buyer_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX disputes_created_idx ON disputes (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX disputes_call_started_idx ON disputes (call_started_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX disputes_pending_buyer_idx ON disputes (buyer_id) WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX disputes_id_text_trgm_idx ON disputes USING gin ((id::text) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE dispute_events (
        id uuid PRIMARY KEY,
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        type text NOT NULL CHECK (type IN ('CREATED', 'RESOLVED')),
        at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid NOT NULL REFERENCES users (id),
        status_before text,
        status_after text NOT NULL,
        payout_before_minor bigint NOT NULL,
        payout_after_minor bigint NOT NULL,
        currency char(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX dispute_events_dispute_idx ON dispute_events (dispute_id, at)`);
    // The audit trail is append-only: the database itself refuses changes.
    await q.query(`
      CREATE FUNCTION dispute_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'dispute_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER dispute_events_no_update_delete
      BEFORE UPDATE OR DELETE ON dispute_events
      FOR EACH ROW EXECUTE FUNCTION dispute_events_append_only()`);
    await q.query(`
      CREATE TRIGGER dispute_events_no_truncate
      BEFORE TRUNCATE ON dispute_events
      FOR EACH STATEMENT EXECUTE FUNCTION dispute_events_append_only()`);

    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES users (id),
        dispute_id uuid REFERENCES disputes (id),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 26214400),
        object_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        bound_at timestamptz
      )`);
    await q.query(`CREATE INDEX evidence_dispute_idx ON evidence (dispute_id)`);
    await q.query(
      `CREATE INDEX evidence_unbound_idx ON evidence (created_at) WHERE dispute_id IS NULL`,
    );

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('DISPUTE_CREATED', 'DISPUTE_RESOLVED')),
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        message text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        read_at timestamptz(3)
      )`);
    await q.query(
      `CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX notifications_user_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE evidence`);
    await q.query(`DROP TABLE dispute_events`);
    await q.query(`DROP FUNCTION dispute_events_append_only()`);
    await q.query(`DROP TABLE disputes`);
    await q.query(`DROP TABLE calls`);
    await q.query(`DROP TABLE campaigns`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE accounts`);
  }
}
