import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { Conditions, countRows } from '../../src/platform/sql-conditions';
import { keysetSqlPage, newestFirst } from '../../src/platform/keyset';

/** A data source that records the statements it is sent and answers `rows`. */
function recording(rows: Record<string, unknown>[] = []) {
  const sent: { sql: string; params: unknown[] }[] = [];
  const ds = {
    query: async (sql: string, params: unknown[]) => {
      sent.push({ sql, params: [...params] });
      return rows;
    },
  } as unknown as DataSource;
  return { ds, sent };
}

describe('Conditions.anyOf', () => {
  const withAlternatives = () => {
    const where = new Conditions();
    where.and(`d.buyer_id = ${where.bind('b')}`);
    const q = where.bind('%x%');
    return where.anyOf([`d.id::text ILIKE ${q}`, `d.note ILIKE ${q}`]);
  };

  it('is one OR in `where`, and one clause per alternative in `branches`', () => {
    const where = withAlternatives();
    expect(where.where).toBe(
      'WHERE (d.buyer_id = $1) AND ((d.id::text ILIKE $2) OR (d.note ILIKE $2))',
    );
    expect(where.branches).toEqual([
      'WHERE (d.buyer_id = $1) AND (d.id::text ILIKE $2)',
      'WHERE (d.buyer_id = $1) AND (d.note ILIKE $2)',
    ]);
    expect(() => where.anyOf(['TRUE'])).toThrow(/once/);
  });

  it('counts the distinct keys of the union of the alternatives', async () => {
    const { ds, sent } = recording([{ n: '3' }]);
    expect(await countRows(ds, 'disputes d', withAlternatives(), 'd.id')).toBe(3);
    expect(sent[0]!.sql).toBe(
      'SELECT count(*) AS n FROM (SELECT d.id FROM disputes d WHERE (d.buyer_id = $1) AND (d.id::text ILIKE $2) UNION SELECT d.id FROM disputes d WHERE (d.buyer_id = $1) AND (d.note ILIKE $2)) matched',
    );
    await expect(countRows(ds, 'disputes d', withAlternatives())).rejects.toThrow(/row key/);
  });

  it('reads a page as the union of the first rows of each alternative, in order', async () => {
    const { ds, sent } = recording();
    const keys = newestFirst<{ id: string; createdAt: Date }>(
      'd',
      'created_at',
      (d) => d.createdAt,
    );
    await keysetSqlPage({
      ds,
      select: 'SELECT d.id AS d_id, d.created_at AS d_created_at FROM disputes d',
      conditions: withAlternatives(),
      tag: 't',
      keys,
      first: 2,
      count: async () => 0,
      fromRaw: (raw) => ({ id: raw.d_id as string, createdAt: raw.d_created_at as Date }),
    });
    const branch = (condition: string) =>
      `(SELECT d.id AS d_id, d.created_at AS d_created_at FROM disputes d WHERE (d.buyer_id = $1) AND (${condition}) ORDER BY d.created_at DESC, d.id DESC LIMIT 3)`;
    expect(sent[0]).toEqual({
      sql: `SELECT * FROM (${branch('d.id::text ILIKE $2')} UNION ${branch('d.note ILIKE $2')}) page ORDER BY d_created_at DESC, d_id DESC LIMIT 3`,
      params: ['b', '%x%'],
    });
  });
});
