import {
  buildSchema,
  execute as graphqlJs,
  getOperationAST,
  Kind,
  parse,
  type OperationDefinitionNode,
} from 'graphql';
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

describe('@skip and @include', () => {
  const schema = buildSchema(`
    type Hangup { by: String cause: String }
    type Call { id: ID hangup: Hangup status: String }
    type Query { calls: [Call] call: Call }`);
  const call = { id: 'c1', hangup: { by: 'CALLER', cause: null }, status: 'DONE' };
  const root = schema.getQueryType()!.getFields();
  root.calls!.resolve = () => [call, call];
  root.call!.resolve = () => call;

  const DOCUMENTS = [
    // graphql-jit alone answers `cause` here whatever $a is.
    `query($a: Boolean!, $b: Boolean!) { calls { ... { hangup { t: __typename } }
       hangup @include(if: $a) { ... { cause @include(if: $b) } } status } }`,
    // A fragment spread under opposite conditions.
    `query($a: Boolean!) { call { h1: hangup @skip(if: $a) { ...H } h2: hangup @include(if: $a) { ...H } } }
     fragment H on Hangup { ... on Hangup { by } }`,
    // Literals, a default, and everything left out of a selection set.
    `query($a: Boolean = true, $b: Boolean!) { call { id @include(if: false) hangup { by @skip(if: $a) } }
       calls @include(if: $b) { id @skip(if: true) status } }`,
  ];

  it.each(DOCUMENTS)(
    'answer as graphql-js does for every value, compiled or not: %s',
    async (source) => {
      const execute = compiledExecutor(schema);
      const document = parse(source);
      const combos = [
        { a: true, b: true },
        { a: true, b: false },
        { a: false, b: true },
        { a: false, b: false },
        { b: true },
        { b: false },
      ];
      const answers = [];
      // Each combination twice: the document's first run is graphql-js, later ones compiled.
      for (const variables of [...combos, ...combos, ...combos]) {
        const request = {
          document,
          operation: getOperationAST(document)!,
          operationName: null,
          request: { variables },
          context: {},
        } as unknown as GatewayGraphQLRequestContext;
        const expected = await graphqlJs({ schema, document, variableValues: variables });
        answers.push([variables, await execute(request)]);
        expect(answers.at(-1)).toEqual([variables, expected]);
      }
    },
  );
});
