import fs from 'node:fs';
import path from 'node:path';

/*
 * Each feature folder keeps its SQL in one queries module (<feature>.queries.ts); its other files
 * import the statements from there. Page-query modules keep their own (dispute-queries.ts,
 * call.service.ts); platform/, dev/, import/ and app/ are not feature folders.
 */

const SRC = path.resolve(__dirname, '..', '..', 'src');

/** The feature folders whose SQL lives in their queries module. */
const FINISHED = ['disputes', 'webhooks', 'notifications', 'evidence', 'calls', 'auth'];

/** Page-query modules that build their statements where they run them. */
const PAGE_QUERY_MODULES = ['disputes/dispute-queries.ts', 'calls/call.service.ts'];

/**
 * A string literal that opens with an SQL statement (fragments such as conditions may stay). A
 * SELECT reaches its FROM over text and `${…}` interpolations (one level of nesting).
 */
const STATEMENT =
  /[`'"]\s*(?:SELECT\b(?:\$\{(?:[^{}]|\{[^{}]*\})*\}|[^`'"$])*?\bFROM\b|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|WITH\s+\w+\s+AS\s*\()/;

const filesOf = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesOf(p) : p.endsWith('.ts') ? [p] : [];
  });

describe('feature SQL lives in the feature’s queries module', () => {
  it('recognizes a statement in a string literal and not a condition', () => {
    expect(STATEMENT.test("em.query('SELECT status FROM disputes WHERE call_id = $1')")).toBe(true);
    expect(STATEMENT.test('`INSERT INTO disputes (id) VALUES ($1)`')).toBe(true);
    expect(STATEMENT.test("'UPDATE calls SET payout_minor = $2'")).toBe(true);
    expect(STATEMENT.test('`\n  DELETE FROM webhook_events WHERE id = $1`')).toBe(true);
    expect(STATEMENT.test('`\n    WITH g AS (SELECT 1)`')).toBe(true);
    expect(STATEMENT.test("`SELECT ${COLUMNS.join(', ')} FROM users WHERE id = $1`")).toBe(true);
    expect(STATEMENT.test("`SELECT ${COLUMNS.map((c) => `d.${c}`).join(', ')} FROM d`")).toBe(true);
    expect(STATEMENT.test('`EXISTS (SELECT 1 FROM disputes d WHERE d.id = $1)`')).toBe(false);
    expect(STATEMENT.test("'Select the file, then choose from the list.'")).toBe(false);
  });

  it.each(FINISHED)('%s: only its *.queries.ts holds SQL statements', (folder) => {
    const dir = path.join(SRC, folder);
    const modules = filesOf(dir).filter((f) => f.endsWith('.queries.ts'));
    expect(modules).toHaveLength(1);
    expect(STATEMENT.test(fs.readFileSync(modules[0]!, 'utf8'))).toBe(true);
    const holders = filesOf(dir)
      .filter((f) => !f.endsWith('.queries.ts'))
      .filter((f) => !PAGE_QUERY_MODULES.includes(path.relative(SRC, f).split(path.sep).join('/')))
      .filter((f) => STATEMENT.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(holders).toEqual([]);
  });
});
