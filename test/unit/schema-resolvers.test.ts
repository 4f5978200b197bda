import { createRequire } from 'node:module';
import path from 'node:path';
import { execute, isObjectType, parse, type GraphQLField, type GraphQLSchema } from 'graphql';
import { ROOT } from '../support/services';

// The API's schema as it runs (the built code; npm test builds first): root types described,
// plain fields left without a resolver (read as properties), guards applied. The module that takes
// type-graphql's wrapper out is tested on its own in type-graphql-direct-resolvers.test.ts.

type Schemas = typeof import('../../src/app/schema');
type Common = typeof import('../../src/platform/common.types');
let schema: GraphQLSchema;
let money: Common['money'];
beforeAll(async () => {
  const load = createRequire(__filename);
  // schema.js first: it loads reflect-metadata, which the decorated classes need.
  const { getSchema } = load(path.join(ROOT, 'dist', 'src', 'app', 'schema.js')) as Schemas;
  ({ money } = load(path.join(ROOT, 'dist', 'src', 'platform', 'common.types.js')) as Common);
  schema = await getSchema();
});

function field(type: string, name: string): GraphQLField<unknown, unknown> {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(`no object type ${type}`);
  return t.getFields()[name]!;
}

afterEach(() => jest.restoreAllMocks());

test('every root type says what it is for', () => {
  expect(schema.getQueryType()?.description).toMatch(/^Reads\./);
  expect(schema.getMutationType()?.description).toMatch(/^Changes\./);
  expect(schema.getSubscriptionType()?.description).toMatch(/^Live updates/);
});

test("a plain field has no resolver at all: the executor reads the root's property", async () => {
  // Neither type-graphql's wrapper nor the execution budget's (which counts such fields with
  // their object): graphql-jit then reads them inline.
  expect(field('KeyValue', 'name').resolve).toBeUndefined();
  expect(field('Call', 'startedAt').resolve).toBeUndefined();
  expect(field('Money', 'amount').resolve).toBeUndefined();
  expect(field('Money', 'currency').resolve).toBeUndefined();
  expect(money(1250, 'USD')).toEqual({ amount: 1250, currency: 'USD' });
  // A composite field keeps one, for the budget.
  expect(field('Call', 'payout').resolve).toBeDefined();
});

test('`@Authorized` still guards the root fields', async () => {
  const run = async (viewer: unknown, source: string) => {
    const result = await execute({ schema, document: parse(source), contextValue: { viewer } });
    return result.errors?.map((e) => e.extensions.code);
  };
  expect(await run(null, '{ viewer { id } }')).toEqual(['UNAUTHENTICATED']);
  const noPermissions = { permissions: new Set() };
  expect(
    await run(
      noPermissions,
      '{ disputeStats(from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z", groupBy: BUYER) { key } }',
    ),
  ).toEqual(['FORBIDDEN']);
});
