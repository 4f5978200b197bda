import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CSV exports (rule 19): one row per export, owned by the user who started it, and the file's
 * lines, written when the export starts (so the file holds the rows and values of that moment)
 * and read by the export's job, which uploads them and deletes them.
 */
export class Exports1764380000000 implements MigrationInterface {
  name = 'Exports1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        "table" text NOT NULL CHECK ("table" IN ('DISPUTES', 'CALL_LOG')),
        status text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
        columns text[] NOT NULL CHECK (cardinality(columns) BETWEEN 1 AND 20),
        filter jsonb NOT NULL DEFAULT '{}',
        total_rows integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
        rows_written integer NOT NULL DEFAULT 0 CHECK (rows_written >= 0),
        file_name text NOT NULL,
        object_key text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT exports_finished CHECK ((status = 'RUNNING') = (finished_at IS NULL))
      )`);
    // The viewer's exports, newest first; the RUNNING count of a start.
    await q.query(`CREATE INDEX exports_user_idx ON exports (user_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX exports_finished_idx ON exports (finished_at) WHERE finished_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE export_lines (
        export_id uuid NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
        position integer NOT NULL,
        line text NOT NULL,
        PRIMARY KEY (export_id, position)
      )`);
    // One CSV field (RFC 4180) from a value as the API writes it: empty for NULL; a leading '
    // before =, +, -, @, a tab or a CR (spreadsheet formula injection); then quoted, quotes
    // doubled, when it holds a comma, a quote, a CR or an LF.
    await q.query(`
      CREATE FUNCTION export_csv_field(v text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      BEGIN
        IF v IS NULL THEN RETURN ''; END IF;
        IF left(v, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN v := '''' || v; END IF;
        IF v = translate(v, E',"\\r\\n', '') THEN RETURN v; END IF;
        RETURN '"' || replace(v, '"', '""') || '"';
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION export_csv_field(text)`);
    await q.query(`DROP TABLE export_lines`);
    await q.query(`DROP TABLE exports`);
  }
}
