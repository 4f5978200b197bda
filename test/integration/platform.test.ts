import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type IntrospectionQuery,
} from 'graphql';
import WebSocket from 'ws';
import { Client } from '../support/client';
import { closeDb, createWorld, db, type World } from '../support/seed';
import { readTestEnv, ROOT, startApiProcess, storeEnv } from '../support/services';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

const base = () => readTestEnv().apiUrl.replace(/\/graphql$/, '');

describe('health', () => {
  it('/healthz says the process is alive and /readyz that the database answers', async () => {
    const live = await fetch(`${base()}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: 'up',
      objectStore: 'up',
      liveEvents: 'up',
    });
  });

  it('/readyz answers 503 when the database is unreachable, and 200 again when it is back', async () => {
    const env = readTestEnv();
    // A database of its own, so cutting it off disturbs no other test.
    const name = `readyz_${Date.now()}`;
    await db().query(`CREATE DATABASE ${name}`);
    const url = new URL(env.databaseUrl);
    url.pathname = `/${name}`;
    const api = await startApiProcess({
      DATABASE_URL: url.toString(),
      ...storeEnv(),
    });
    const readyz = () => fetch(`${api.url.replace(/\/graphql$/, '')}/readyz`);
    try {
      expect((await readyz()).status).toBe(200);
      await db().query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await db().query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`,
        [name],
      );
      const down = await readyz();
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', database: 'down' });
      expect((await fetch(`${api.url.replace(/\/graphql$/, '')}/healthz`)).status).toBe(200);
      await db().query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      // Ready again by itself, once a new connection is open (a busy machine may take a while).
      let status = (await readyz()).status;
      for (let i = 0; i < 20 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await readyz()).status;
      }
      expect(status).toBe(200);
    } finally {
      await api.stop();
      await db().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});

describe('abuse limits', () => {
  it('refuses an operation deeper than 12 levels before any resolver runs', async () => {
    // 13 levels: calls > nodes > (disputes > call) x 5 > id
    const deep = `{ calls(first: 1) { nodes { disputes { call { disputes { call { disputes { call { disputes { call { disputes { call { id } } } } } } } } } } } } }`;
    const res = await w.as.buyerA.raw(deep);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/deep/);
    // Only the token's user was looked up; no resolver ran.
    expect(res.extensions?.sqlStatements ?? 0).toBeLessThanOrEqual(1);
  });

  it('refuses more than 15 aliases', async () => {
    const query = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    const res = await w.as.buyerA.raw(query);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/aliases/);
  });

  it('refuses an operation whose cost is over the bound, counting page sizes', async () => {
    const page = `calls(first: 100) { nodes { id startedAt callerId destination status durationSeconds buyer { id name } campaign { id name } payout { amount currency } originalPayout { amount currency } disputability { allowed blockedBy windowEndsAt } disputes { id status reason } } }`;
    const query = `{ ${Array.from({ length: 12 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
    const res = await w.as.buyerA.raw(query);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/cost/);
    // The same page once is fine.
    expect((await w.as.buyerA.raw(`{ ${page} }`)).errors).toBeUndefined();
  });

  it('answers CORS preflights so browser apps on other origins can call the API', async () => {
    const res = await fetch(readTestEnv().apiUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('marks GraphQL answers as never to be cached (they are per viewer)', async () => {
    const res = await fetch(readTestEnv().apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.as.buyerA.token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses batched requests', async () => {
    const res = await fetch(readTestEnv().apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.as.buyerA.token}` },
      body: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a simple cross-site GET (CSRF prevention)', async () => {
    const res = await fetch(
      `${readTestEnv().apiUrl}?query=${encodeURIComponent('{ viewer { id } }')}`,
      {
        headers: { authorization: `Bearer ${w.as.buyerA.token}` },
      },
    );
    expect(res.status).toBe(400);
  });

  it('answers malformed JSON, unknown fields and syntax errors with BAD_USER_INPUT and no internals', async () => {
    const bad = await fetch(readTestEnv().apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
        .code,
    ).toBe('BAD_USER_INPUT');
    for (const q of ['{ viewer { nope } }', '{ viewer { id ']) {
      const res = await w.as.buyerA.raw(q);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res)).not.toMatch(/stacktrace|node_modules|\.ts:/);
    }
  });

  it('refuses an over-deep subscription and a bad token on the WebSocket', async () => {
    const bad = new WebSocket(readTestEnv().wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => bad.on('close', (code) => resolve(code)));
    bad.on('open', () =>
      bad.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer nope' } }),
      ),
    );
    expect([4401, 4403]).toContain(await closed);
  });
});

describe('guards', () => {
  /** A literal for any input type: enough to reach the resolver's guard. */
  function literal(type: GraphQLInputType): string {
    const t = getNullableType(type);
    if (isListType(t)) return `[${literal(t.ofType)}]`;
    if (isEnumType(t)) return t.getValues()[0]!.name;
    if (isInputObjectType(t)) {
      const fields = Object.values(t.getFields()).filter((f) => isNonNullType(f.type));
      return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
    }
    if (isScalarType(t)) {
      return (
        { Int: '1', Boolean: 'false', Decimal: '"1.00"', DateTime: '"2026-11-26T00:00:00Z"' }[
          t.name
        ] ?? '"00000000-0000-4000-8000-000000000000"'
      );
    }
    throw new Error(`no literal for ${String(t)}`);
  }

  it('every root query and mutation refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const res = await new Client(null).raw<IntrospectionQuery>(getIntrospectionQuery());
    const schema = buildClientSchema(res.data!);
    const roots = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const;
    const unguarded: string[] = [];
    let checked = 0;
    for (const [kind, type] of roots) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const args = field.args
          .filter((a) => isNonNullType(a.type))
          .map((a) => `${a.name}: ${literal(a.type)}`);
        const named = getNamedType(field.type);
        const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
        const op = `${kind} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`;
        const r = await new Client(null).raw(op);
        checked += 1;
        if (r.errors?.[0]?.extensions?.code !== 'UNAUTHENTICATED')
          unguarded.push(`${field.name}: ${JSON.stringify(r.errors ?? r.data)}`);
      }
    }
    expect(unguarded).toEqual([]);
    expect(checked).toBe(26);
  });
});

describe('configuration and lifecycle', () => {
  const main = path.join(ROOT, 'dist', 'src', 'main.js');
  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [
      { NODE_ENV: 'production' },
      /DATABASE_URL: required.*\n.*S3_ENDPOINT: required.*\n.*JWT_SECRET: required/,
    ],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, /S3_ACCESS_KEY/],
  ])('refuses to start with %j, naming the variable', (env, message) => {
    const r = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  // In-flight work at SIGTERM, held deterministically by a row lock: shutdown.test.ts.
  it('shuts down on SIGTERM: sockets close, exit 0', async () => {
    const env = readTestEnv();
    const api = await startApiProcess({
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
    });
    const ws = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.on('open', resolve));
    const exit = api.stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(await wsClosed).toBeGreaterThanOrEqual(1000);
  });
});
