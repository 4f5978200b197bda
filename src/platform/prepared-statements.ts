import type { Pool, PoolClient } from 'pg';

/**
 * The hot statements as named statements: each list page's, the viewer's row, a user's table
 * settings, and the fixed writes of the dispute lifecycle (a move's row, its history row, the
 * payout, the live NOTIFY). PostgreSQL parses a named statement once per connection and, after
 * five runs, plans it once (its generic plan) when that plan costs no more than the ones made for
 * each run's values; for a 50-row page planning was twice the execution. A text is named by
 * marking it (`prepared`) where it is written; the pool's connections send marked texts by name
 * (namePreparedStatements), every other text as before. Constants are marked when their module
 * loads, so they are named before any page's text.
 *
 * Each connection keeps what it prepared while it lives, so the texts named are bounded: the
 * first MAX_PREPARED_STATEMENTS texts marked in the process; later ones are sent unnamed. A
 * page's text depends on what the operation shows (column-projection.ts), its order and its
 * filters, so clients sending many different selections fill the list with theirs, and only lose
 * the gain.
 */
export const MAX_PREPARED_STATEMENTS = 64;

const names = new Map<string, string>();

/** `text`, sent by name from now on while fewer than MAX_PREPARED_STATEMENTS texts are named. */
export function prepared(text: string): string {
  if (!names.has(text) && names.size < MAX_PREPARED_STATEMENTS) {
    names.set(text, `prepared_${names.size + 1}`);
  }
  return text;
}

/** How many texts are named (for tests). */
export function preparedCount(): number {
  return names.size;
}

const wrapped = new WeakSet<PoolClient>();

/** Makes the pool's connections send the texts marked by `prepared` as named statements. */
export function namePreparedStatements(pool: Pool): void {
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const original = client.query;
    client.query = function namedQuery(this: PoolClient, ...args: unknown[]) {
      const name = typeof args[0] === 'string' ? names.get(args[0]) : undefined;
      // pg prepares a named statement on its connection's first use, then only binds values.
      if (name) args[0] = { name, text: args[0] };
      return (original as (...x: unknown[]) => unknown).apply(this, args);
    } as typeof client.query;
  });
}
