import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate calls (contract rule 15): the accounts' auto-acceptance switch, the index that
 * finds a call's earlier call from the same caller, and the system user "Automatic review"
 * who decides by rule (src/accounts/system-user.ts holds the same ID).
 */
export class DuplicateCalls1764310000000 implements MigrationInterface {
  name = 'DuplicateCalls1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE accounts ADD COLUMN auto_accept_duplicates boolean NOT NULL DEFAULT false`,
    );
    // Call.duplicateOf: one backward index step per call, latest first, ties by greatest ID.
    await q.query(
      `CREATE INDEX calls_buyer_caller_started_idx ON calls (buyer_id, caller_id, started_at DESC, id DESC)`,
    );
    // A MANAGER without permissions: never a recipient, never listed; sign-in is refused by ID.
    await q.query(
      `INSERT INTO users (id, name, email, role, account_id, permissions)
       VALUES ('00000000-0000-4000-8000-00000000a001', 'Automatic review',
               'automatic-review@system.invalid', 'MANAGER', NULL, '{}')
       ON CONFLICT (id) DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM users WHERE id = '00000000-0000-4000-8000-00000000a001'`);
    await q.query(`DROP INDEX calls_buyer_caller_started_idx`);
    await q.query(`ALTER TABLE accounts DROP COLUMN auto_accept_duplicates`);
  }
}
