import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (contract rule 17): the endpoints integrators register and the outbox of deliveries,
 * one row per (event, endpoint), written in the transaction of the dispute's change.
 */
export class Webhooks1764330000000 implements MigrationInterface {
  name = 'Webhooks1764330000000';

  async up(q: QueryRunner): Promise<void> {
    // account_id null: a platform endpoint (every account's events). Deleted endpoints stay as
    // rows (deleted_at) so their delivery log is kept; they receive nothing more.
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        account_id uuid REFERENCES accounts (id),
        url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        events text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ARRAY['dispute.created',
          'dispute.resolved', 'dispute.withdrawn', 'dispute.commented']::text[]),
        secret text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE INDEX webhook_endpoints_owner_idx ON webhook_endpoints (account_id, created_at, id)
        WHERE deleted_at IS NULL`);

    // body is the exact text sent, so every attempt and redelivery signs and sends the same bytes.
    // next_attempt_at doubles as the lease of a claimed delivery (lease_id names the claim).
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_attempt_at timestamptz,
        last_response_status integer,
        next_attempt_at timestamptz,
        lease_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT webhook_deliveries_event_endpoint_key UNIQUE (event_id, endpoint_id),
        CONSTRAINT webhook_deliveries_pending_has_next CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL))
      )`);
    // The workers' claim: each endpoint's due PENDING deliveries, oldest due first; and the
    // next one due anywhere (when to look again).
    await q.query(`
      CREATE INDEX webhook_deliveries_endpoint_due_idx
        ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
        WHERE status = 'PENDING'`);
    // WebhookEndpoint.deliveries: newest first, keyset.
    await q.query(`
      CREATE INDEX webhook_deliveries_endpoint_idx
        ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
