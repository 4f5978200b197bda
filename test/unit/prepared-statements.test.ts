import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import {
  MAX_PREPARED_STATEMENTS,
  namePreparedStatements,
  prepared,
  preparedCount,
} from '../../src/platform/prepared-statements';

/** A pool that hands out one client recording what its query receives. */
function fakePool() {
  const pool = new EventEmitter();
  const sent: unknown[][] = [];
  const client = { query: (...args: unknown[]) => (sent.push(args), Promise.resolve()) };
  namePreparedStatements(pool as unknown as Pool);
  const acquire = () => (pool.emit('acquire', client), client);
  return { acquire, sent };
}

it('sends marked texts by name, each under its own, and any other text as it is', async () => {
  const { acquire, sent } = fakePool();
  const page = prepared('SELECT 1 FROM pages WHERE id = $1');
  const other = 'SELECT 2';
  const client = acquire();
  acquire(); // wrapped once, however often it is acquired
  await client.query(page, ['a']);
  await client.query(other, []);
  await client.query(prepared('SELECT 3'), []);
  await client.query(page, ['b']);
  const [first, , third, again] = sent;
  expect(first).toEqual([{ name: expect.stringMatching(/^prepared_\d+$/), text: page }, ['a']]);
  expect(sent[1]).toEqual([other, []]);
  expect((third![0] as { name: string }).name).not.toBe((first![0] as { name: string }).name);
  expect(again).toEqual([first![0], ['b']]);
});

it(`names at most ${MAX_PREPARED_STATEMENTS} texts; later ones are sent unnamed`, async () => {
  for (let i = 0; preparedCount() < MAX_PREPARED_STATEMENTS; i++) prepared(`SELECT ${i} + 100`);
  const { acquire, sent } = fakePool();
  const late = prepared('SELECT 999999');
  await acquire().query(late, []);
  expect(sent).toEqual([[late, []]]);
  expect(preparedCount()).toBe(MAX_PREPARED_STATEMENTS);
});
