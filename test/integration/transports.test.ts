import { createHash } from 'node:crypto';
import { signToken } from '../../src/auth/tokens';
import { Client, type GqlError } from '../support/client';
import { RawWs } from '../support/raw-ws';
import { closeDb, createWorld, type World } from '../support/seed';
import {
  readTestEnv,
  startApiProcess,
  TEST_JWT_SECRET,
  type ApiProcess,
  storeEnv,
} from '../support/services';

/*
 * HTTP and WebSocket are one API: a document is refused the same way on both, production hides
 * the same things on both, and a WebSocket lives no longer than its token.
 */

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

const DEEP = `{ calls(first: 1) { nodes { disputes { call { disputes { call { disputes { call { disputes { call { disputes { call { id } } } } } } } } } } } } }`;
const ALIASES = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
const PAGE = `calls(first: 100) { nodes { id startedAt callerId destination status durationSeconds buyer { id name } campaign { id name } payout { amount currency } originalPayout { amount currency } disputability { allowed blockedBy windowEndsAt } disputes { id status reason } } }`;
const COSTLY = `{ ${Array.from({ length: 12 }, (_, i) => `p${i}: ${PAGE}`).join(' ')} }`;
const CALLS_PAGE = 'query Page($first: Int!) { calls(first: $first) { nodes { id } } }';

/** Malformed or refused operations: [what, query, variables, expected code]. */
const BAD: [string, string, Record<string, unknown> | undefined, string][] = [
  ['a syntax error', '{ viewer { id ', undefined, 'BAD_USER_INPUT'],
  ['an unknown field', '{ viewer { nope } }', undefined, 'BAD_USER_INPUT'],
  ['a misspelt field', '{ viewer { nam } }', undefined, 'BAD_USER_INPUT'],
  ['an unknown argument', '{ calls(frist: 5) { nodes { id } } }', undefined, 'BAD_USER_INPUT'],
  ['a variable of the wrong type', CALLS_PAGE, { first: 'ten' }, 'BAD_USER_INPUT'],
  ['a missing required variable', CALLS_PAGE, {}, 'BAD_USER_INPUT'],
  ['an undeclared variable', '{ calls(first: $n) { nodes { id } } }', undefined, 'BAD_USER_INPUT'],
  ['a page size out of range', CALLS_PAGE, { first: 1000 }, 'BAD_USER_INPUT'],
  ['a document too deep', DEEP, undefined, 'QUERY_TOO_COMPLEX'],
  ['too many aliases', ALIASES, undefined, 'QUERY_TOO_COMPLEX'],
  ['a document too costly', COSTLY, undefined, 'QUERY_TOO_COMPLEX'],
];

/** The errors an operation sent over graphql-ws gets back (error message or next with errors). */
async function overWs(
  wsUrl: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlError[]> {
  const ws = await RawWs.open(wsUrl, `Bearer ${token}`);
  try {
    const id = ws.subscribe(query, variables);
    await ws.waitFor((m) => m.some((x) => x.id === id && x.type !== 'complete'), 10_000);
    const msg = ws.of(id)[0]!;
    if (msg.type === 'error') return msg.payload as GqlError[];
    return ((msg.payload as { errors?: GqlError[] }).errors ?? []) as GqlError[];
  } finally {
    ws.close();
  }
}

/** What a client can compare: code and message of every error. */
const shape = (errors: GqlError[] | undefined) =>
  (errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message }));

function expectNoInternals(errors: GqlError[] | undefined): void {
  expect(JSON.stringify(errors)).not.toMatch(/stacktrace|node_modules|\.ts:\d|\.js:\d|SELECT /);
}

describe('the same answer over HTTP and WebSocket', () => {
  it.each(BAD)('%s', async (_what, query, variables, code) => {
    const http = await w.as.buyerA.raw(query, variables);
    const ws = await overWs(readTestEnv().wsUrl, w.as.buyerA.token!, query, variables);
    expect(shape(http.errors)[0]?.code).toBe(code);
    expect(shape(ws)).toEqual(shape(http.errors));
    expectNoInternals(http.errors);
    expectNoInternals(ws);
  });

  it('gives "Did you mean" hints outside production (and the production test below proves they go)', async () => {
    const res = await w.as.buyerA.raw('{ viewer { nam } }');
    expect(res.errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
  });

  it('answers introspection on both transports outside production', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await w.as.buyerA.raw(query)).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect(await overWs(readTestEnv().wsUrl, w.as.buyerA.token!, query)).toEqual([]);
  });
});

describe('HTTP refuses what it cannot serve as client errors', () => {
  it('a subscription POSTed over HTTP is BAD_USER_INPUT, pointing to the WebSocket', async () => {
    const res = await w.as.buyerA.raw('subscription { pendingDisputesCount }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/WebSocket/);
    expect(res.data ?? null).toBeNull();
  });

  it('a persisted-query hash that does not match the query is BAD_USER_INPUT', async () => {
    const query = '{ viewer { id } }';
    const send = (sha256Hash: string) =>
      fetch(readTestEnv().apiUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${w.as.buyerA.token}`,
        },
        body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { errors?: GqlError[] },
      }));
    const wrong = await send('0'.repeat(64));
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The right hash is accepted, so the refusal above is about the mismatch.
    const right = await send(createHash('sha256').update(query).digest('hex'));
    expect(right.body.errors).toBeUndefined();
  });
});

describe('a WebSocket lives no longer than its token', () => {
  it('is closed with 4403 when the token expires, while one with a longer token stays open', async () => {
    const { wsUrl } = readTestEnv();
    const shortToken = await signToken(TEST_JWT_SECRET, w.ids.buyerA, 2);
    const short = await RawWs.open(wsUrl, `Bearer ${shortToken}`);
    const long = await RawWs.open(wsUrl, `Bearer ${w.as.buyerA.token}`);
    const opened = Date.now();
    const id = short.subscribe('subscription { pendingDisputesCount }');
    await short.waitFor((m) => m.some((x) => x.id === id && x.type === 'next'));

    const closed = await short.closed;
    const after = Date.now() - opened;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/expired/);
    // `exp` has whole seconds: 1 to 2 s after signing; the close comes then, not at once.
    expect(after).toBeGreaterThan(300);
    expect(after).toBeLessThan(4_000);

    const probe = long.subscribe('{ viewer { id } }');
    await long.waitFor((m) => m.some((x) => x.id === probe && x.type === 'next'));
    long.close();
  });

  it('refuses a token that has already expired at connection', async () => {
    const expired = await signToken(TEST_JWT_SECRET, w.ids.buyerA, -10);
    await expect(RawWs.open(readTestEnv().wsUrl, `Bearer ${expired}`)).rejects.toMatchObject({
      code: 4403,
    });
  });
});

describe('production (NODE_ENV=production)', () => {
  let api: ApiProcess;
  let wsUrl: string;
  beforeAll(async () => {
    const env = readTestEnv();
    api = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
    });
    wsUrl = api.url.replace(/^http/, 'ws');
  });
  afterAll(() => api.stop());

  const client = () => new Client(w.as.buyerA.token, api.url);

  it.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Dispute") { name } }'],
    [
      '__schema in a fragment',
      'query { ...F } fragment F on Query { __schema { types { name } } }',
    ],
  ])('refuses introspection (%s) on both transports alike', async (_what, query) => {
    const http = await client().raw(query);
    const ws = await overWs(wsUrl, w.as.buyerA.token!, query);
    expect(shape(http.errors)[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/introspection/i),
    });
    expect(shape(ws)).toEqual(shape(http.errors));
    expect(http.data ?? null).toBeNull();
  });

  it('still answers __typename', async () => {
    expect((await client().raw('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it.each(BAD)(
    'refuses %s with the same code on both transports, with no hints and no internals',
    async (_what, query, variables, code) => {
      const http = await client().raw(query, variables);
      const ws = await overWs(wsUrl, w.as.buyerA.token!, query, variables);
      expect(shape(http.errors)[0]?.code).toBe(code);
      expect(shape(ws)).toEqual(shape(http.errors));
      for (const e of [...(http.errors ?? []), ...ws])
        expect(e.message).not.toMatch(/Did you mean/);
      expectNoInternals(http.errors);
      expectNoInternals(ws);
    },
  );

  it('serves no landing page to a browser: nothing naming Apollo, no script, no CDN', async () => {
    for (const accept of ['text/html', 'text/html,application/xhtml+xml,*/*;q=0.8']) {
      const res = await fetch(api.url, { headers: { accept } });
      const body = await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(body).not.toMatch(/apollo|<script|<html|https?:\/\/|cdn/i);
    }
    const asset = await fetch(`${api.url}/assets/graphiql.js`);
    expect(asset.status).toBe(404);
  });
});
