import { buildSchema, getOperationAST, Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  compilable,
  compiledExecutor,
  MAX_COMPILED_FIELDS,
} from '../../src/app/compiled-execution';
import { documentsCompiled } from '../../src/platform/metrics';

/** Which documents are compiled: small ones, fragments spread, never introspection. */
function check(source: string): boolean {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return compilable(operation, document);
}

const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}: id`).join(' ');

test('a page-sized operation is compiled', () => {
  expect(check('{ calls(first: 50) { nodes { id startedAt campaign { name } } } }')).toBe(true);
});

test(`at most ${MAX_COMPILED_FIELDS} fields, counted with fragments spread in place`, () => {
  // The root field is one of them.
  expect(check(`{ viewer { ${fields(MAX_COMPILED_FIELDS - 1)} } }`)).toBe(true);
  expect(check(`{ viewer { ${fields(MAX_COMPILED_FIELDS)} } }`)).toBe(false);
  // 4 spreads of a fragment of 60 fields: 240 fields, though the document spells 60.
  const spread = `{ viewer { ...F a: account { ...F } b: account { ...F } c: account { ...F } } }
    fragment F on Viewer { ${fields(60)} }`;
  expect(check(spread)).toBe(false);
  expect(check(`{ viewer { ... on Viewer { ${fields(MAX_COMPILED_FIELDS)} } } }`)).toBe(false);
});

test('introspection stays with graphql-js', () => {
  expect(check('{ __schema { types { name } } }')).toBe(false);
  expect(check('{ viewer { id } t: __type(name: "Call") { name } }')).toBe(false);
  expect(check('{ viewer { __typename id } }')).toBe(true);
});

test('compiled code is kept for the most recently used documents only', async () => {
  const schema = buildSchema('type Query { a: Int b: Int c: Int }');
  const root = schema.getQueryType()!.getFields();
  for (const name of ['a', 'b', 'c']) root[name]!.resolve = () => 1;
  const execute = compiledExecutor(schema, 2);
  const documents = new Map(['a', 'b', 'c'].map((f) => [f, parse(`{ ${f} }`)]));
  const run = async (field: string) => {
    const document = documents.get(field)!;
    const request = {
      document,
      operation: getOperationAST(document)!,
      operationName: null,
      request: {},
      context: {},
    } as unknown as GatewayGraphQLRequestContext;
    expect(await execute(request)).toEqual({ data: { [field]: 1 } });
  };
  const before = (await documentsCompiled.get()).values[0]?.value ?? 0;
  const compiledSince = async () =>
    ((await documentsCompiled.get()).values[0]?.value ?? 0) - before;
  await run('a'); // first run: graphql-js
  await run('b');
  await run('a'); // second run of a: compiled
  expect(await compiledSince()).toBe(1);
  await run('c'); // a third document: b, the least recently used, is dropped
  await run('b'); // b starts over (a is dropped now)
  expect(await compiledSince()).toBe(1);
  await run('b'); // b's second run: compiled
  expect(await compiledSince()).toBe(2);
  await run('a'); // a starts over
  expect(await compiledSince()).toBe(2);
  await run('a');
  expect(await compiledSince()).toBe(3);
});
