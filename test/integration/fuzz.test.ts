import { jsonShapeError } from '../../src/platform/nesting';
import fc from 'fast-check';
import { getNamedType, type GraphQLSchema } from 'graphql';
import type WebSocket from 'ws';
import { closeDb } from '../support/seed';
import {
  carriesForbiddenText,
  contractProblems,
  CONTRACT_CODES,
  fcParams,
  FUZZ,
  FuzzTarget,
  isEnabled,
  PENDING_FIXES,
  ROLES,
  summarize,
  type HttpAnswer,
  type Role,
} from '../support/fuzz-harness';
import {
  argumentFamilies,
  loadSchema,
  mixedFamily,
  operationArb,
  rootFields,
  selectionOf,
  type Family,
} from '../support/fuzz-values';
import { documentFamilies, type GeneratedDocument } from '../support/fuzz-documents';

/**
 * Generated, mostly invalid input against a real API process: every argument of every
 * operation (from schema/schema.graphql), generated documents, odd request envelopes and
 * WebSocket subscriptions. Whatever arrives, the answer is JSON with a contract code (never
 * INTERNAL_SERVER_ERROR) within FUZZ_TIME_BOUND_MS, and a failed mutation writes nothing.
 * FUZZ_RUNS sets the inputs per property (npm run fuzz: many); FUZZ_SEED replays a failure.
 */

let target: FuzzTarget;
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = loadSchema();
  target = await FuzzTarget.start();
}, 120_000);

afterAll(async () => {
  const total = [...target.sent.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(
    `fuzz: ${total} generated requests (${FUZZ.runs} per property; ${[...target.sent]
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); pending fixes: ${[...PENDING_FIXES].join(', ') || 'none'}\n`,
  );
  await target?.stop();
  await closeDb();
}, 60_000);

const timeout = FUZZ.runs * FUZZ.timeBoundMs + 120_000;
const property = (name: string) => (isEnabled(name) ? it : it.skip);
const role = fc.constantFrom<Role>(...ROLES);

function fail(problems: string[], input: unknown, answer: HttpAnswer): never {
  throw new Error(
    `${problems.join('; ')}\ninput: ${summarize(input)}\nanswer: HTTP ${answer.status} ${summarize(answer.body)}`,
  );
}

/** Sends a request and holds the answer to the contract; fingerprints around mutations. */
async function probe(
  name: string,
  who: Role,
  body: GeneratedDocument & { mutationField?: string; mustRefuse?: boolean },
) {
  const { mutationField, mustRefuse, ...request } = body;
  const before = mutationField ? await target.fingerprint() : undefined;
  const answer = await target.post(who, request);
  target.count(name);
  const problems = await contractProblems(answer, {
    mutationField,
    mustRefuse,
    before,
    after: () => target.fingerprint(),
  });
  if (problems.length) fail(problems, { role: who, ...request }, answer);
}

describe('fuzzing: every argument of every query and mutation', () => {
  const families = argumentFamilies();
  const enabled = families.filter((f) => isEnabled(f.name));

  const run = (family: Family) => async () => {
    const roots = rootFields(schema, ['query', 'mutation']);
    expect(roots.length).toBeGreaterThan(0);
    const ops = fc.oneof(...roots.map((r) => operationArb(r, family, target.pools)));
    await fc.assert(
      fc.asyncProperty(
        role,
        // The server refuses bodies over 1 MB before GraphQL sees them (its own property below).
        ops.filter((op) => JSON.stringify(op.variables).length < 900_000),
        async (who, op) => {
          await probe(family.name, who, {
            query: op.query,
            variables: op.variables,
            mutationField: op.kind === 'mutation' ? op.field : undefined,
            // Only these families put such text in String leaves alone (IDs have rules of their own).
            mustRefuse:
              ['text-nul', 'text-surrogate'].includes(family.name) && carriesForbiddenText(op),
          });
        },
      ),
      fcParams(),
    );
  };

  for (const family of families) {
    property(family.name)(
      `${family.name}: contract codes only, nothing written on error`,
      run(family),
      timeout,
    );
  }
  // Each leaf from any enabled family: the combinations no single family produces.
  it(
    'mixed: contract codes only, nothing written on error',
    () => run(mixedFamily(enabled))(),
    timeout,
  );
});

describe('fuzzing: generated documents', () => {
  for (const name of [
    'doc-deep',
    'doc-wide',
    'doc-aliases',
    'doc-fragment-fanout',
    'doc-fragment-chains',
    'doc-literals',
    'doc-variables',
    'doc-directives',
    'doc-garbage',
  ]) {
    property(name)(
      `${name}: answered within the bound with data or a contract code`,
      async () => {
        const family = documentFamilies(schema, target.pools).find((f) => f.name === name);
        expect(family).toBeDefined();
        await fc.assert(
          fc.asyncProperty(role, family!.arb, async (who, doc) => {
            const mutation = /^\s*mutation\b/.test(doc.query);
            await probe(name, who, {
              ...doc,
              mutationField: mutation ? 'markNotificationsRead' : undefined,
            });
          }),
          fcParams(),
        );
      },
      timeout,
    );
  }
});

describe('fuzzing: request envelopes', () => {
  const valid = '{ viewer { id } }';
  const bodies: fc.Arbitrary<unknown>[] = [
    fc.constantFrom<unknown>(
      {},
      null,
      123,
      'text',
      [],
      [{ query: valid }],
      { query: null },
      { query: 1 },
      { query: {} },
      { query: [valid] },
    ),
    fc.jsonValue({ maxDepth: 3 }).map((variables) => ({ query: valid, variables })),
    fc.jsonValue({ maxDepth: 3 }).map((extensions) => ({ query: valid, extensions })),
    fc.jsonValue({ maxDepth: 2 }).map((operationName) => ({
      query: 'query A { viewer { id } } query B { viewer { name } }',
      operationName,
    })),
    fc.integer({ min: 1, max: 100_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc
      .integer({ min: 1, max: 50_000 })
      .map(
        (n) => `{"query":"{ viewer { id } }","variables":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
      ),
    fc.string({ unit: 'binary', maxLength: 100 }),
  ];
  property('envelope-body')(
    'envelope-body: malformed JSON bodies and fields get contract codes',
    async () => {
      await fc.assert(
        fc.asyncProperty(role, fc.oneof(...bodies), async (who, body) => {
          const answer = await target.post(
            who,
            typeof body === 'string' ? body : JSON.stringify(body),
          );
          target.count('envelope-body');
          const problems = await contractProblems(answer);
          if (problems.length) fail(problems, body, answer);
        }),
        fcParams(),
      );
    },
    timeout,
  );

  property('envelope-headers')(
    'envelope-headers: other methods, content types and query strings get contract codes',
    async () => {
      const init = fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        contentType: fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/graphql',
          '',
        ),
        search: fc.constantFrom(
          '',
          `?query=${encodeURIComponent(valid)}`,
          '?query=%7B',
          '?variables=%5B',
          `?query=${encodeURIComponent('mutation { markNotificationsRead(all: true) }')}`,
        ),
        preflight: fc.boolean(),
        body: fc.constantFrom('', JSON.stringify({ query: valid }), 'query=%7B'),
      });
      await fc.assert(
        fc.asyncProperty(role, init, async (who, r) => {
          const token = target.tokens[who];
          const headers: Record<string, string> = {
            ...(r.contentType ? { 'content-type': r.contentType } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(r.preflight ? { 'apollo-require-preflight': 'true' } : {}),
          };
          const answer = await target.http(
            { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body },
            r.search,
          );
          target.count('envelope-headers');
          const problems = await contractProblems(answer);
          if (problems.length) fail(problems, r, answer);
        }),
        fcParams(),
      );
    },
    timeout,
  );

  property('envelope-subscription-post')(
    'envelope-subscription-post: a subscription POSTed over HTTP gets a contract code',
    async () => {
      const subs = rootFields(schema, ['subscription']).map(
        (r) => `subscription { ${r.field.name} ${selectionOf(getNamedType(r.field.type), 1)} }`,
      );
      await fc.assert(
        fc.asyncProperty(role, fc.constantFrom(...subs), async (who, query) => {
          await probe('envelope-subscription-post', who, { query });
        }),
        fcParams(Math.min(FUZZ.runs, 20)),
      );
    },
    timeout,
  );

  property('envelope-apq')(
    'envelope-apq: persisted-query hashes that do not match get a contract code',
    async () => {
      const apq = fc.record({
        query: fc.option(fc.constant(valid), { nil: undefined }),
        extensions: fc.record({
          persistedQuery: fc.record({
            version: fc.constantFrom<unknown>(1, 2, '1', null),
            sha256Hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 70 })),
          }),
        }),
      });
      await fc.assert(
        fc.asyncProperty(role, apq, async (who, body) => {
          const answer = await target.post(who, body);
          target.count('envelope-apq');
          const problems = await contractProblems(answer);
          if (problems.length) fail(problems, body, answer);
        }),
        fcParams(Math.min(FUZZ.runs, 30)),
      );
    },
    timeout,
  );

  property('envelope-oversized')(
    'envelope-oversized: a body over the size limit gets a JSON BAD_USER_INPUT',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1_100_000, max: 3_000_000 }), async (n) => {
          const body = JSON.stringify({ query: valid, variables: { pad: 'x'.repeat(n) } });
          const answer = await target.post('buyerA', body);
          target.count('envelope-oversized');
          const problems = await contractProblems(answer);
          if (problems.length) fail(problems, { bytes: body.length }, answer);
        }),
        fcParams(Math.min(FUZZ.runs, 5)),
      );
    },
    timeout,
  );
});

describe('fuzzing: WebSocket (graphql-ws)', () => {
  interface WsOutcome {
    closeCode?: number;
    /** The message passed the bounds checked before it is parsed (nesting.ts): 4400 is right. */
    overBounds?: boolean;
    messages: { type: string; payload?: unknown }[];
    ms: number;
  }

  /** One subscribe on a fresh connection; the first answer (or 300 ms of silence) ends it. */
  async function subscribe(who: Role, payload: unknown): Promise<WsOutcome> {
    const conn = await target.ws(who);
    if (!conn.socket) return { closeCode: conn.closeCode, messages: [], ms: conn.ms };
    const socket: WebSocket = conn.socket;
    const started = performance.now();
    const messages: WsOutcome['messages'] = [];
    const text = JSON.stringify({ id: '1', type: 'subscribe', payload });
    const overBounds = jsonShapeError(text) !== null;
    const closeCode = await new Promise<number | undefined>((resolve) => {
      let quiet = setTimeout(() => resolve(undefined), 300);
      const hard = setTimeout(() => resolve(-1), Math.max(10_000, FUZZ.timeBoundMs * 5));
      socket.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { type: string; payload?: unknown };
        messages.push(msg);
        clearTimeout(quiet);
        if (msg.type === 'error' || msg.type === 'complete') {
          clearTimeout(hard);
          resolve(undefined);
        } else quiet = setTimeout(() => resolve(undefined), 100);
      });
      socket.on('close', (code) => {
        clearTimeout(quiet);
        clearTimeout(hard);
        resolve(code);
      });
      socket.send(text);
    });
    const ms = performance.now() - started;
    socket.terminate();
    return { closeCode, overBounds, messages, ms };
  }

  function wsProblems(who: Role, outcome: WsOutcome): string[] {
    const problems: string[] = [];
    const authFails = ['anonymous', 'expired', 'forged', 'ghost'].includes(who);
    if (outcome.closeCode !== undefined) {
      const fine = authFails ? [4401, 4403] : outcome.overBounds ? [4400] : [];
      if (!fine.includes(outcome.closeCode)) problems.push(`closed with ${outcome.closeCode}`);
      return problems;
    }
    if (outcome.ms > FUZZ.timeBoundMs) problems.push(`answered in ${Math.round(outcome.ms)} ms`);
    for (const m of outcome.messages) {
      const errors =
        m.type === 'error'
          ? (m.payload as { extensions?: { code?: unknown } }[])
          : m.type === 'next'
            ? ((m.payload as { errors?: { extensions?: { code?: unknown } }[] }).errors ?? [])
            : [];
      for (const e of errors) {
        const code = e?.extensions?.code;
        if (typeof code !== 'string' || !CONTRACT_CODES.has(code))
          problems.push(`code ${String(code)} is not a contract code`);
        else if (code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
      }
      if (JSON.stringify(m).match(/stacktrace|node_modules/))
        problems.push('an error carries internals');
    }
    return problems;
  }

  const wsProperty = (name: string, docs: () => fc.Arbitrary<GeneratedDocument>) =>
    property(name)(
      `${name}: answered with contract codes over graphql-ws`,
      async () => {
        await fc.assert(
          fc.asyncProperty(role, docs(), async (who, doc) => {
            const outcome = await subscribe(who, doc);
            target.count(name);
            const problems = wsProblems(who, outcome);
            if (problems.length)
              throw new Error(
                `${problems.join('; ')}\ninput: ${summarize({ role: who, ...doc })}\nanswer: ${summarize(outcome)}`,
              );
          }),
          fcParams(Math.max(1, Math.floor(FUZZ.runs / 2))),
        );
      },
      timeout,
    );

  // Valid subscriptions and queries with generated selections and values: refused or served.
  wsProperty('ws-valid', () => {
    const subs = rootFields(schema, ['subscription']).map((r) => ({
      query: `subscription { ${r.field.name} ${selectionOf(getNamedType(r.field.type), 2)} }`,
    }));
    const selections = rootFields(schema, ['subscription']).map((r) =>
      fc.integer({ min: 0, max: 4 }).map((depth) => ({
        query: `subscription { ${r.field.name} ${selectionOf(getNamedType(r.field.type), depth)} }`,
      })),
    );
    const aliases = documentFamilies(schema, target.pools).find(
      (f) => f.name === 'doc-aliases',
    )!.arb;
    return fc.oneof(fc.constantFrom(...subs), ...selections, aliases);
  });

  // Syntax errors, unknown fields, wrong variables: the same codes as over HTTP.
  wsProperty('ws-malformed', () => {
    const families = argumentFamilies().filter((f) => isEnabled(f.name));
    const ops = rootFields(schema, ['query']).map((r) =>
      operationArb(r, mixedFamily(families), target.pools).map((op) => ({
        query: op.query,
        variables: op.variables,
      })),
    );
    const docs = documentFamilies(schema, target.pools)
      .filter(
        (f) =>
          ['doc-garbage', 'doc-deep', 'doc-wide', 'doc-variables', 'doc-directives'].includes(
            f.name,
          ) && isEnabled(f.name),
      )
      .map((f) => f.arb);
    return fc.oneof(...ops, ...docs);
  });
});
