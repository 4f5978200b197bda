import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { compilable, MAX_COMPILED_FIELDS } from '../../src/app/compiled-execution';

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
