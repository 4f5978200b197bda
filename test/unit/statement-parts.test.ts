import { oneStatement } from '../../src/platform/statement-parts';

it('joins the parts as one statement, each part’s parameters renumbered after the ones before', () => {
  const statement = oneStatement([
    { write: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: ['x', 'y'] },
    null,
    {
      write: 'INSERT INTO b (z) SELECT $1 FROM c WHERE c.k = $2 RETURNING 1',
      select: (rows) => `(SELECT pg_notify('wake', '') FROM ${rows} LIMIT 1)`,
      params: ['z', 'k'],
    },
    { select: () => 'pg_notify($1, $2)', params: ['channel', 'payload'] },
  ]);
  expect(statement).toEqual({
    sql:
      'WITH part_1 AS (INSERT INTO a (x, y) VALUES ($1, $2)),\n' +
      '     part_3 AS (INSERT INTO b (z) SELECT $3 FROM c WHERE c.k = $4 RETURNING 1)\n' +
      "SELECT (SELECT pg_notify('wake', '') FROM part_3 LIMIT 1), pg_notify($5, $6)",
    params: ['x', 'y', 'z', 'k', 'channel', 'payload'],
  });
});

it('renumbers $10 and above whole', () => {
  const values = Array.from({ length: 11 }, (_, i) => i);
  const statement = oneStatement([
    { write: 'INSERT INTO a VALUES ($1)', params: ['a'] },
    {
      write: `INSERT INTO b VALUES (${values.map((i) => `$${i + 1}`).join(', ')})`,
      params: values,
    },
  ]);
  expect(statement?.sql).toContain('VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)');
});

it('writes only: the statement selects nothing of them; no part: no statement', () => {
  expect(oneStatement([{ write: 'INSERT INTO a VALUES ($1)', params: [1] }])?.sql).toBe(
    'WITH part_1 AS (INSERT INTO a VALUES ($1))\nSELECT NULL',
  );
  expect(oneStatement([null, null])).toBeNull();
});

it('leaves what is quoted as it is, a "$1" in a literal or an identifier included', () => {
  const statement = oneStatement([
    { write: 'INSERT INTO a VALUES ($1)', params: [1] },
    {
      write: `INSERT INTO b ("x$1", y, z) SELECT 'costs $1', 'it''s $2', $1 FROM c WHERE c.k = $2`,
      params: ['p', 'q'],
    },
  ]);
  expect(statement?.sql).toContain(
    `INSERT INTO b ("x$1", y, z) SELECT 'costs $1', 'it''s $2', $2 FROM c WHERE c.k = $3`,
  );
});

it('renumbers the parameters between quoted literals', () => {
  const statement = oneStatement([
    { select: () => 'pg_notify($1, $2)', params: ['a', 'b'] },
    {
      write:
        "INSERT INTO n SELECT u.id FROM users u WHERE u.role = 'BUYER' AND u.account_id = $1 AND 'VIEW' = ANY (u.permissions)",
      params: ['account'],
    },
  ]);
  expect(statement?.sql).toContain("u.role = 'BUYER' AND u.account_id = $3 AND 'VIEW' = ANY");
});
