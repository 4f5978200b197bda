import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The background-job facility's rows (src/platform/jobs.ts): one per job that is due or running,
 * and one per periodic task. A one-off job is deleted when it succeeds and stays FAILED when
 * given up; a periodic task's row goes back to pending, due at its next slot.
 */
export class Jobs1764350000000 implements MigrationInterface {
  name = 'Jobs1764350000000';

  async up(q: QueryRunner): Promise<void> {
    // run_at: when it is due (a periodic task's slot); a claim leaves it as it is.
    // locked_until: while running, when the lease expires unless renewed; lease_id names the claim.
    // key: at most one pending or running job per key (periodic tasks: 'every:' and the name).
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]{0,99}$'),
        key text CHECK (length(key) BETWEEN 1 AND 200),
        payload jsonb NOT NULL DEFAULT '{}',
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'failed')),
        run_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        every_ms integer CHECK (every_ms > 0),
        lease_id uuid,
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT jobs_running_has_lease
          CHECK ((state = 'running') = (lease_id IS NOT NULL AND locked_until IS NOT NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX jobs_key_idx ON jobs (key) WHERE key IS NOT NULL AND state <> 'failed'`);
    // The claim: per kind, the due pending jobs and the running ones whose lease expired.
    await q.query(`CREATE INDEX jobs_due_idx ON jobs (kind, run_at) WHERE state = 'pending'`);
    await q.query(
      `CREATE INDEX jobs_lease_idx ON jobs (kind, locked_until) WHERE state = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jobs`);
  }
}
