import { createRequire } from 'node:module';
import path from 'node:path';
import {
  execute,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { ROOT } from '../support/services';

// The API's schema as it runs (the built code; npm test builds first): root types described,
// plain fields read as properties, a simple field resolver called directly for a root of its
// class and through type-graphql otherwise, guards applied. The module that takes
// type-graphql's wrapper out is tested on its own in type-graphql-direct-resolvers.test.ts.

type Schemas = typeof import('../../src/app/schema');
type Common = typeof import('../../src/platform/common.types');
let schema: GraphQLSchema;
let Money: Common['Money'];
let money: Common['money'];
beforeAll(async () => {
  const load = createRequire(__filename);
  // schema.js first: it loads reflect-metadata, which the decorated classes need.
  const { getSchema } = load(path.join(ROOT, 'dist', 'src', 'app', 'schema.js')) as Schemas;
  ({ Money, money } = load(
    path.join(ROOT, 'dist', 'src', 'platform', 'common.types.js'),
  ) as Common);
  schema = await getSchema();
});

function field(type: string, name: string): GraphQLField<unknown, unknown> {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(`no object type ${type}`);
  return t.getFields()[name]!;
}

/** Resolves one field as the executor would, under the execution budget of a query. */
const resolve = (type: string, name: string, root: unknown) =>
  field(type, name).resolve!(root, {}, {}, {
    fieldName: name,
    operation: { operation: 'query' },
  } as GraphQLResolveInfo);

/** Whether type-graphql's code is on the stack, i.e. its resolver called the caller. */
function viaTypeGraphql(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  try {
    return /node_modules[\\/]type-graphql[\\/]/.test(new Error().stack ?? '');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

afterEach(() => jest.restoreAllMocks());

test('every root type says what it is for', () => {
  expect(schema.getQueryType()?.description).toMatch(/^Reads\./);
  expect(schema.getMutationType()?.description).toMatch(/^Changes\./);
  expect(schema.getSubscriptionType()?.description).toMatch(/^Live updates/);
});

test("a plain field reads the root's property, with no type-graphql on the way", () => {
  let via: boolean | undefined;
  const root = {
    get name() {
      via = viaTypeGraphql();
      return 'X-Trace';
    },
  };
  expect(resolve('KeyValue', 'name', root)).toBe('X-Trace');
  expect(via).toBe(false);
});

test('Money.amount runs directly on a Money, and through type-graphql on any other root', () => {
  const amount = jest.spyOn(Money.prototype, 'amount');
  // The direct path calls the method it found when the schema was built, not this spy.
  expect(resolve('Money', 'amount', money(1250, 'USD'))).toBe(1250);
  expect(amount).not.toHaveBeenCalled();
  // type-graphql looks the method up on an instance it makes of the root.
  expect(resolve('Money', 'amount', { minor: 1250, currency: 'USD' })).toBe(1250);
  expect(amount).toHaveBeenCalledTimes(1);
  expect(amount.mock.contexts[0]).toBeInstanceOf(Money);
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
