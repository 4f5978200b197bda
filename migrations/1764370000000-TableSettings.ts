import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rule 18: each user's settings per table, one row per user and table. The choices are NULL
 * after a reset (the defaults, which depend on the user's role, are not stored); the version
 * stays, so it goes on counting. Saves compare the version in the writing statement
 * (settings/table-settings-queries.ts). The lists of tables, columns and bounds are the
 * code's (settings/table-settings-rules.ts); the checks here hold the shape of a row.
 */
export class TableSettings1764370000000 implements MigrationInterface {
  name = 'TableSettings1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE table_settings (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        table_name text NOT NULL CHECK (table_name IN ('DISPUTES', 'CALL_LOG')),
        columns text[],
        page_size int CHECK (page_size BETWEEN 10 AND 100),
        dispute_order_field text,
        dispute_order_direction text CHECK (dispute_order_direction IN ('ASC', 'DESC')),
        version int NOT NULL CHECK (version > 0),
        updated_at timestamptz NOT NULL,
        CONSTRAINT table_settings_pkey PRIMARY KEY (user_id, table_name),
        CONSTRAINT table_settings_choice_whole CHECK (
          (columns IS NULL) = (page_size IS NULL)
          AND cardinality(columns) BETWEEN 1 AND 20
        ),
        CONSTRAINT table_settings_order_whole CHECK (
          (dispute_order_field IS NULL) = (dispute_order_direction IS NULL)
          AND (dispute_order_field IS NULL OR (columns IS NOT NULL AND table_name = 'DISPUTES'))
        )
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE table_settings`);
  }
}
