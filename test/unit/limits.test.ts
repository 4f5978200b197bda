import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  buildSchema,
  execute,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  parse,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { ROOT } from '../support/services';

// The built code (npm test builds first), as the API runs it: its schema carries the
// type-graphql extensions the cost check reads.
type Limits = typeof import('../../src/platform/limits');
type Budget = typeof import('../../src/platform/execution-budget');
type ListSizes = typeof import('../../src/platform/list-size');
type Schemas = typeof import('../../src/app/schema');
const dist = (file: string) => path.join(ROOT, 'dist', 'src', 'platform', file);
let L: Limits;
let applyExecutionBudget: Budget['applyExecutionBudget'];
let listSizeOf: ListSizes['listSizeOf'];
let schema: GraphQLSchema;
beforeAll(async () => {
  const load = createRequire(__filename);
  // schema.js first: it loads reflect-metadata, which the decorated classes need.
  const { getSchema } = load(path.join(ROOT, 'dist', 'src', 'app', 'schema.js')) as Schemas;
  L = load(dist('limits.js')) as Limits;
  ({ applyExecutionBudget } = load(dist('execution-budget.js')) as Budget);
  ({ listSizeOf } = load(dist('list-size.js')) as ListSizes);
  schema = await getSchema();
});

const rep = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => f(i)).join(' ');

/** `fragment Fi on Viewer { ...F(i-1) ...F(i-1) }`: 2^n fields once expanded. */
function fragmentChain(n: number): string {
  let s = 'fragment F0 on Viewer { id }\n';
  for (let i = 1; i <= n; i++) s += `fragment F${i} on Viewer { ...F${i - 1} ...F${i - 1} }\n`;
  return `${s}{ viewer { ...F${n} } }`;
}

/** Best of a few runs, in ms: the figure a warmed-up server sees. */
function timed<T>(run: () => T, runs = 3): { ms: number; first: number; result: T } {
  let best = Infinity;
  let first = 0;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = run();
    const ms = performance.now() - t;
    if (i === 0) first = ms;
    best = Math.min(best, ms);
  }
  return { ms: best, first, result };
}

const codeOf = (out: ReturnType<Limits['checkDocument']>) =>
  out.errors?.[0]?.extensions.code as string | undefined;

describe('pre-execution checks are linear', () => {
  it('a chain of fragments each spreading the previous twice is refused, as fast at n=30 as at n=20', () => {
    const at = (n: number) => timed(() => L.checkDocument(schema, fragmentChain(n), {}), 5);
    at(10); // warm up
    const n20 = at(20);
    const n30 = at(30);
    expect(codeOf(n20.result)).toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(n30.result)).toBe('QUERY_TOO_COMPLEX');
    expect(n30.result.errors![0]!.message).toMatch(/cost 1073741825/);
    // 2^10 times the fields, a handful more fragments: the time grows with the text only.
    expect(n30.ms).toBeLessThan(n20.ms * 3 + 5);
    expect(n30.ms).toBeLessThan(100);
  });

  it('counts aliases and cost through fragments as executed, memoized, without overflow', () => {
    let s = 'fragment A0 on Viewer { a: id }\n';
    for (let i = 1; i <= 200; i++) s += `fragment A${i} on Viewer { ...A${i - 1} ...A${i - 1} }\n`;
    const out = timed(() => L.checkDocument(schema, `${s}{ viewer { ...A200 } }`, {}), 1);
    expect(codeOf(out.result)).toBe('QUERY_TOO_COMPLEX');
    expect(out.result.errors![0]!.message).toMatch(/more than a billion aliases/);
    expect(out.ms).toBeLessThan(100);
  });

  it('a fragment cycle is graphql-js’s error and does not hang the walk', () => {
    const out = L.checkDocument(
      schema,
      'fragment A on Viewer { ...B } fragment B on Viewer { ...A } { viewer { ...A } }',
      {},
    );
    expect(codeOf(out)).toBe('BAD_USER_INPUT');
    expect(out.errors![0]!.message).toMatch(/Cannot spread fragment "A" within itself/);
  });

  // Documents of about 100 KB (the largest body is 1 MB), each of a shape that costs some check
  // more than its size: repeats, conflicts, fragments, depth, directives, variables.
  const fit = (make: (n: number) => string): string => {
    let lo = 1;
    let hi = L.LIMITS.maxTokens;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        parse(make(mid), { maxTokens: L.LIMITS.maxTokens });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    return make(lo);
  };
  const to100k = (doc: string) => `${doc}\n# ${'x'.repeat(Math.max(0, 100_000 - doc.length))}`;
  const shapes: Record<string, () => string> = {
    'one field repeated': () => fit((n) => `{ viewer { ${rep(n, () => 'id')} } }`),
    'one list repeated with other arguments': () =>
      fit((n) => `{ ${rep(n, (i) => `calls(first: ${(i % 100) + 1}) { totalCount }`)} }`),
    'conflicting aliases': () =>
      fit((n) => `{ viewer { ${rep(n, (i) => `a: ${i % 2 ? 'id' : 'name'}`)} } }`),
    'inline fragments in conflict': () =>
      fit(
        (n) => `{ viewer { ${rep(n, (i) => `... on Viewer { x: ${i % 2 ? 'id' : 'name'} }`)} } }`,
      ),
    'many fragments with one field': () =>
      fit(
        (n) =>
          `{ ${rep(n, (i) => `...F${i}`)} } ` +
          rep(
            n,
            (i) => `fragment F${i} on Query { calls(first: ${(i % 100) + 1}) { totalCount } }`,
          ),
      ),
    'dense fragment graph': () =>
      fit((k) => {
        let s = 'fragment F0 on Viewer { id }';
        for (let i = 1; i < k; i++)
          s += ` fragment F${i} on Viewer { ${rep(i, (j) => `...F${j}`)} }`;
        return `{ viewer { ...F${k - 1} } } ${s}`;
      }),
    'fragment chain': () => fit((n) => fragmentChain(n)),
    'deep nesting': () =>
      fit((n) => {
        let s = 'id';
        for (let i = 0; i < n; i++) s = `call { disputes { ${s} } }`;
        return `{ calls { nodes { disputes { ${s} } } } }`;
      }),
    'long aliases': () =>
      fit((n) => `{ viewer { ${rep(n, (i) => `a${'x'.repeat(40)}${i}: id`)} } }`),
    directives: () => fit((n) => `{ viewer { ${rep(n, (i) => `f${i}: id @skip(if: false)`)} } }`),
    'unused variables': () =>
      fit((n) => `query(${rep(n, (i) => `$v${i}: Int`)}) { viewer { id } }`),
    'nested introspection': () =>
      fit(
        (n) => `{ __schema { types { fields { type { fields { ${rep(n, () => 'name')} } } } } } }`,
      ),
    'too many tokens': () => `{ viewer { ${rep(50_000, () => 'id')} } }`,
  };

  it('checks a 100 KB document of any of these shapes quickly (worst case recorded)', () => {
    const rows: string[] = [];
    let worst = 0;
    for (const [name, make] of Object.entries(shapes)) {
      const doc = to100k(make());
      const run = timed(() => L.checkDocument(schema, doc, {}), 3);
      worst = Math.max(worst, run.ms);
      rows.push(
        `${name.padEnd(40)} ${(doc.length / 1024).toFixed(0)} KB  ${run.ms.toFixed(1)} ms (first ${run.first.toFixed(1)})  ${codeOf(run.result) ?? 'accepted'}`,
      );
      expect(codeOf(run.result)).toMatch(/QUERY_TOO_COMPLEX|BAD_USER_INPUT/);
    }
    console.log(
      `checkOperation on 100 KB documents, worst ${worst.toFixed(1)} ms:\n${rows.join('\n')}`,
    );
    // Under 100 ms on a busy 2-core machine (graphql-js's own rules over 5,000 tokens); the
    // bound leaves room for slower test machines, not for super-linear growth.
    expect(worst).toBeLessThan(500);
  });
});

describe('cost', () => {
  const callsPage = `calls(first: 100) { nodes { id startedAt callerId destination status durationSeconds buyer { id name } campaign { id name } payout { amount currency } originalPayout { amount currency } disputability { allowed blockedBy windowEndsAt } disputes { id status reason } } }`;

  it('multiplies a page by `first` and every other list by its declared size', () => {
    // 1 + 100 × (nodes: 1 + 16 scalar and object fields + Call.disputes: 1 + 50 × 3)
    expect(L.operationCost(schema, parse(`{ ${callsPage} }`), {})).toBe(17_401);
    expect(L.operationCost(schema, parse('{ calls { nodes { id } } }'), {})).toBe(1 + 50 * 2);
    expect(
      L.operationCost(schema, parse('query($n: Int) { calls(first: $n) { nodes { id } } }'), {
        n: 7,
      }),
    ).toBe(1 + 7 * 2);
    expect(
      L.operationCost(
        schema,
        parse('query($n: Int = 9) { calls(first: $n) { nodes { id } } }'),
        {},
      ),
    ).toBe(1 + 9 * 2);
    // A negative or missing size cannot lower the cost of the rest.
    expect(L.operationCost(schema, parse('{ calls(first: -100000) { nodes { id } } }'), {})).toBe(
      3,
    );
    expect(
      L.operationCost(schema, parse('{ dispute(id: "x") { history { id } evidence { id } } }'), {}),
    ).toBe(1 + (1 + 20) + (1 + 10));
    expect(
      L.operationCost(schema, parse('query($s: Boolean!) { viewer { id @skip(if: $s) } }'), {
        s: true,
      }),
    ).toBe(1);
    expect(
      L.operationCost(schema, parse('query($s: Boolean!) { viewer { id @skip(if: $s) } }'), {
        s: false,
      }),
    ).toBe(2);
  });

  it('refuses the nested lists that used to count as 1', () => {
    const nested = `calls(first: 100) { nodes { disputes { history { id at } call { disputes { history { id at } } } } } }`;
    const out = L.checkDocument(schema, `{ ${rep(10, (i) => `c${i}: ${nested}`)} }`, {});
    expect(codeOf(out)).toBe('QUERY_TOO_COMPLEX');
    expect(out.errors![0]!.message).toMatch(/cost/);
  });

  it('keeps every test operation of the frontend within the bound', () => {
    const dir = path.join(ROOT, 'test', 'operations');
    for (const file of fs.readdirSync(dir)) {
      const doc = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const def of doc.definitions) {
        if (def.kind !== 'OperationDefinition') continue;
        const cost = L.operationCost(schema, doc, { first: 100 }, def.name?.value);
        expect({ op: def.name?.value, ok: cost! <= L.LIMITS.maxCost }).toEqual({
          op: def.name?.value,
          ok: true,
        });
      }
    }
  });
});

describe('every list field has a size', () => {
  it('either a `first` argument or a declared maximum; page items only inside connections', () => {
    const missing: string[] = [];
    const pageTypes = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (field.args.some((a) => a.name === 'first')) {
          pageTypes.add(getNamedType(field.type).name);
          continue;
        }
        if (!isListType(getNullableType(field.type))) continue;
        const size = listSizeOf(field);
        if (!size) missing.push(`${type.name}.${field.name}`);
        else if ('max' in size) {
          expect(field.description ?? '').toContain(String(size.max));
        }
      }
    }
    expect(missing).toEqual([]);
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const size = listSizeOf(field);
        if (size && 'perPage' in size)
          expect([type.name, pageTypes.has(type.name)]).toEqual([type.name, true]);
      }
    }
  });
});

describe('execution budget', () => {
  const sdl = `
    type Item { id: ID! name: String! }
    type Query { items(n: Int!): [Item!] slow(ms: Int!): String }
    type Mutation { write(n: Int!): [Item!] }
  `;
  function budgeted(maxResolvedFields: number, maxExecutionMs: number) {
    const s = buildSchema(sdl);
    const items = (_: unknown, { n }: { n: number }) =>
      Array.from({ length: n }, (_, i) => ({ id: String(i), name: `item ${i}` }));
    s.getQueryType()!.getFields().items!.resolve = items;
    s.getMutationType()!.getFields().write!.resolve = items;
    s.getQueryType()!.getFields().slow!.resolve = (_: unknown, { ms }: { ms: number }) => {
      const until = performance.now() + ms;
      while (performance.now() < until); // busy: the budget must still stop what follows
      return 'done';
    };
    return applyExecutionBudget(s, { maxResolvedFields, maxExecutionMs });
  }

  it('stops an operation once it has resolved too many fields: QUERY_TOO_COMPLEX', async () => {
    const s = budgeted(1_000, 10_000);
    const small = await execute({
      schema: s,
      document: parse('{ items(n: 300) { id name } }'),
      contextValue: {},
    });
    expect(small.errors).toBeUndefined();
    const big = await execute({
      schema: s,
      document: parse('{ items(n: 5000) { id name } }'),
      contextValue: {},
    });
    expect(big.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(big.errors?.[0]?.message).toMatch(/more than 1000 fields/);
    expect(big.data).toEqual({ items: null });
  });

  it('stops an operation past its deadline', async () => {
    const s = budgeted(1_000_000, 20);
    const doc = parse('{ slow(ms: 30) items(n: 200) { id name } }');
    const res = await execute({ schema: s, document: doc, contextValue: {} });
    expect(res.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/longer than 20 ms/);
  });

  it('leaves a plain scalar field unwrapped (read inline) and counts it with its object', async () => {
    const s = budgeted(1_000, 10_000);
    const item = s.getType('Item') as GraphQLObjectType;
    expect(item.getFields().id!.resolve).toBeUndefined();
    expect(s.getQueryType()!.getFields().items!.resolve).toBeDefined();
    // Three leaves per item (two aliases of one field, one through a fragment) and `items`.
    const doc = (n: number) =>
      parse(`{ items(n: ${n}) { a: id b: id ...F } } fragment F on Item { name }`);
    const fits = await execute({ schema: s, document: doc(333), contextValue: {} });
    expect(fits.errors).toBeUndefined();
    const over = await execute({ schema: s, document: doc(334), contextValue: {} });
    expect(over.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(over.data).toEqual({ items: null });
  });

  it('counts per context (one operation each) and never cuts a mutation short', async () => {
    const s = budgeted(1_000, 10_000);
    const doc = parse('{ items(n: 300) { id name } }');
    for (let i = 0; i < 5; i++) {
      expect(
        (await execute({ schema: s, document: doc, contextValue: {} })).errors,
      ).toBeUndefined();
    }
    const write = await execute({
      schema: s,
      document: parse('mutation { write(n: 5000) { id } }'),
      contextValue: {},
    });
    expect(write.errors).toBeUndefined();
  });
});
