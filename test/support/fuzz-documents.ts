import fc from 'fast-check';
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  getNullableType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Pools } from './fuzz-values';

export interface GeneratedDocument {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface DocumentFamily {
  name: string;
  arb: fc.Arbitrary<GeneratedDocument>;
}

type AnyField = GraphQLField<unknown, unknown>;

/** Arguments a nested field can be called with: its page size when it has one, nothing else. */
function argsFor(field: AnyField, pools: Pools, first: number): string {
  const parts: string[] = [];
  for (const a of field.args) {
    if (a.name === 'first') parts.push(`first: ${first}`);
    else if (isNonNullType(a.type) && getNamedType(a.type).name === 'ID')
      parts.push(`${a.name}: ${JSON.stringify(pools.ids.dispute[0] ?? pools.ids.call[0] ?? '0')}`);
    else if (isNonNullType(a.type)) return '\u0000'; // a field we cannot call blindly
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

const objectFields = (t: GraphQLObjectType) =>
  Object.values(t.getFields()).filter((f) => isObjectType(getNamedType(f.type)));
const leafFields = (t: GraphQLObjectType) =>
  Object.values(t.getFields()).filter(
    (f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)),
  );

/**
 * A selection that goes `depth` object levels down from `type`, choosing the next object field
 * by `choices` (cycling), e.g. calls > nodes > disputes > call > disputes > …; it ends in a leaf.
 */
function deepSelection(
  type: GraphQLObjectType,
  depth: number,
  choices: number[],
  pools: Pools,
  first: number,
): string {
  if (depth <= 0) {
    const leaves = leafFields(type);
    return leaves.length ? leaves[choices[0]! % leaves.length]!.name : '__typename';
  }
  const candidates = objectFields(type).filter((f) => argsFor(f, pools, first) !== '\u0000');
  if (!candidates.length) return '__typename';
  const f = candidates[choices[depth % choices.length]! % candidates.length]!;
  const next = getNamedType(f.type) as GraphQLObjectType;
  return `${f.name}${argsFor(f, pools, first)} { ${deepSelection(next, depth - 1, choices, pools, first)} }`;
}

/** Every leaf of a type and, `levels` deep, of its object fields: the widest honest selection. */
function wideSelection(
  type: GraphQLObjectType,
  levels: number,
  pools: Pools,
  first: number,
): string {
  const parts = leafFields(type).map((f) => f.name);
  if (levels > 0) {
    for (const f of objectFields(type)) {
      const args = argsFor(f, pools, first);
      if (args === '\u0000') continue;
      parts.push(
        `${f.name}${args} { ${wideSelection(getNamedType(f.type) as GraphQLObjectType, levels - 1, pools, first)} }`,
      );
    }
  }
  return parts.join(' ') || '__typename';
}

export function documentFamilies(schema: GraphQLSchema, pools: Pools): DocumentFamily[] {
  const query = schema.getQueryType()!;
  const viewerType = getNamedType(
    query.getFields().viewer?.type ?? query.getFields()[Object.keys(query.getFields())[0]!]!.type,
  );
  const fragmentType = isObjectType(viewerType) ? viewerType.name : query.name;
  const choices = fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 6 });
  const pageSize = fc.constantFrom(1, 2, 50, 100);
  const listFields = Object.values(query.getFields()).filter(
    (f) => isListType(getNullableType(f.type)) || f.args.some((a) => a.name === 'first'),
  );

  return [
    {
      // Deep along the schema's cycles, and deep in syntax (inline fragments inside each other).
      name: 'doc-deep',
      arb: fc.oneof(
        fc.tuple(fc.integer({ min: 1, max: 80 }), choices, pageSize).map(([depth, ch, first]) => ({
          query: `{ ${deepSelection(query, depth, ch, pools, first)} }`,
        })),
        fc.integer({ min: 1, max: 3000 }).map((n) => ({
          query: `{ ${'... on Query { '.repeat(n)}viewer { id }${' }'.repeat(n)} }`,
        })),
        fc
          .integer({ min: 1, max: 3000 })
          .map((n) => ({ query: `${'{ '.repeat(n)}${'}'.repeat(n)}` })),
      ),
    },
    {
      name: 'doc-wide',
      arb: fc.oneof(
        fc.tuple(fc.integer({ min: 1, max: 3 }), pageSize).map(([levels, first]) => ({
          query: `{ ${listFields
            .map(
              (f) =>
                `${f.name}${argsFor(f, pools, first) === '\u0000' ? '' : argsFor(f, pools, first)} { ${wideSelection(getNamedType(f.type) as GraphQLObjectType, levels, pools, first)} }`,
            )
            .join(' ')} }`,
        })),
        fc
          .integer({ min: 1, max: 10_000 })
          .map((n) => ({ query: `{ viewer { ${'id '.repeat(n)}} }` })),
        fc
          .integer({ min: 1, max: 2_000 })
          .map((n) => ({ query: `{ ${'viewer { id } '.repeat(n)}}` })),
        fc.integer({ min: 1, max: 1_000 }).map((n) => ({
          query: `{ calls(first: 100) { nodes { ${'disputes { history { id } } '.repeat(n)}} } }`,
        })),
      ),
    },
    {
      name: 'doc-aliases',
      arb: fc
        .tuple(
          fc.integer({ min: 1, max: 400 }),
          fc.constantFrom(
            'viewer { id }',
            'calls(first: 100) { nodes { id } }',
            'notifications(first: 1) { totalCount }',
          ),
          fc.boolean(),
        )
        .map(([n, sel, nested]) => ({
          query: nested
            ? `{ viewer { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ')} } }`
            : `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${sel}`).join(' ')} }`,
        })),
    },
    {
      // Each fragment spreads the previous one `fanout` times: 2^n work for a careless walk.
      name: 'doc-fragment-fanout',
      arb: fc
        .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 4 }))
        .map(([n, fanout]) => ({
          query: [
            `query { viewer { ...F${n} } }`,
            `fragment F0 on ${fragmentType} { id }`,
            ...Array.from(
              { length: n },
              (_, i) => `fragment F${i + 1} on ${fragmentType} { ${`...F${i} `.repeat(fanout)}}`,
            ),
          ].join('\n'),
        })),
    },
    {
      // Long chains of single spreads, many unused fragments, cycles: linear, or refused.
      name: 'doc-fragment-chains',
      arb: fc.oneof(
        fc.integer({ min: 1, max: 500 }).map((n) => ({
          query: [
            `query { viewer { ...F${n} } }`,
            `fragment F0 on ${fragmentType} { id }`,
            ...Array.from(
              { length: n },
              (_, i) => `fragment F${i + 1} on ${fragmentType} { ...F${i} }`,
            ),
          ].join('\n'),
        })),
        fc.integer({ min: 1, max: 1_000 }).map((n) => ({
          query: `{ viewer { id } } ${Array.from({ length: n }, (_, i) => `fragment U${i} on ${fragmentType} { id }`).join(' ')}`,
        })),
        fc.integer({ min: 2, max: 200 }).map((n) => ({
          query: `{ viewer { ...C0 } } ${Array.from({ length: n }, (_, i) => `fragment C${i} on ${fragmentType} { id ...C${(i + 1) % n} }`).join(' ')}`,
        })),
      ),
    },
    {
      name: 'doc-literals',
      arb: fc.oneof(
        fc.integer({ min: 0, max: 5_000 }).map((n) => ({
          query: `mutation { markNotificationsRead(ids: [${Array.from({ length: n }, (_, i) => `"${pools.ids.notification[i % Math.max(1, pools.ids.notification.length)] ?? 'x'}"`).join(',')}]) }`,
        })),
        fc.integer({ min: 0, max: 10_000 }).map((n) => ({
          query: `{ disputes(first: 1, filter: { status: [${'PENDING,'.repeat(n)}] }) { totalCount } }`,
        })),
        fc.integer({ min: 1, max: 2_000 }).map((n) => ({
          query: `{ call(id: ${'['.repeat(n)}"x"${']'.repeat(n)}) { id } }`,
        })),
        fc
          .integer({ min: 1, max: 100_000 })
          .map((n) => ({ query: `{ call(id: "${'a'.repeat(n)}") { id } }` })),
        fc.integer({ min: 1, max: 100_000 }).map((n) => ({
          query: `{ disputes(search: """${'\\"""'.repeat(n / 4)}""") { totalCount } }`,
        })),
        fc.integer({ min: 1, max: 2_000 }).map((n) => ({
          query: `{ disputes(filter: ${'{ buyerId: '.repeat(n)}null${' }'.repeat(n)}) { totalCount } }`,
        })),
      ),
    },
    {
      name: 'doc-variables',
      arb: fc.oneof(
        fc.integer({ min: 0, max: 5_000 }).map((n) => ({
          query: `query Q(${Array.from({ length: n }, (_, i) => `$v${i}: ID`).join(' ')}${n ? '' : '$v: ID'}) { viewer { id } }`,
        })),
        fc.integer({ min: 0, max: 5_000 }).map((n) => ({
          query: `mutation Q($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
          variables: {
            ids: Array.from(
              { length: n },
              (_, i) =>
                pools.ids.notification[i % Math.max(1, pools.ids.notification.length)] ?? 'x',
            ),
          },
        })),
        fc.integer({ min: 0, max: 5_000 }).map((n) => ({
          query: `{ viewer { id } }`,
          variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, i])),
        })),
        fc.jsonValue({ maxDepth: 4 }).map((v) => ({
          query: `query Q($f: DisputeFilter) { disputes(first: 1, filter: $f) { totalCount } }`,
          variables: { f: v },
        })),
        // A big default value for a list variable.
        fc.integer({ min: 0, max: 5_000 }).map((n) => ({
          query: `query Q($s: [DisputeStatus!] = [${'PENDING '.repeat(n)}]) { disputes(first: 1, filter: { status: $s }) { totalCount } }`,
        })),
      ),
    },
    {
      name: 'doc-directives',
      arb: fc.oneof(
        fc
          .integer({ min: 1, max: 5_000 })
          .map((n) => ({ query: `{ viewer { id ${'@skip(if: false) '.repeat(n)}} }` })),
        fc
          .integer({ min: 1, max: 5_000 })
          .map((n) => ({ query: `{ viewer { id ${'@include(if: true) @nope '.repeat(n)}} }` })),
        fc
          .tuple(
            fc.jsonValue({ maxDepth: 2 }),
            fc.constantFrom('skip', 'include', 'deprecated', 'specifiedBy'),
          )
          .map(([v, d]) => ({
            query: `query Q($b: Boolean!) { viewer { id @${d}(if: $b) name } }`,
            variables: { b: v },
          })),
      ),
    },
    {
      // Valid documents with characters inserted, deleted or cut off, and token soup.
      name: 'doc-garbage',
      arb: fc.oneof(
        fc
          .tuple(
            fc.constantFrom(
              '{ viewer { id name role } }',
              'query Q($id: ID!) { call(id: $id) { id disputes { id } } }',
              'mutation M($i: CreateDisputeInput!) { createDispute(input: $i) { id } }',
              '{ disputes(first: 2, orderBy: { field: PAYOUT }) { nodes { id } pageInfo { endCursor } } }',
            ),
            fc.array(
              fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 3 })),
              { minLength: 1, maxLength: 6 },
            ),
          )
          .map(([doc, edits]) => {
            let s = doc;
            for (const [at, cut, insert] of edits) {
              const i = at % (s.length + 1);
              s = s.slice(0, i) + insert + s.slice(i + cut);
            }
            return {
              query: s,
              variables: { id: pools.ids.call[0], i: { callId: 'x', reason: 'OTHER' } },
            };
          }),
        fc
          .array(
            fc.constantFrom(
              '{',
              '}',
              '(',
              ')',
              '[',
              ']',
              '...',
              '@',
              '$',
              ':',
              '=',
              '!',
              '|',
              '&',
              'query',
              'mutation',
              'subscription',
              'fragment',
              'on',
              'viewer',
              'calls',
              'id',
              '"x"',
              '"""',
              '1',
              '1.5e9',
              'true',
              'null',
              '#',
              '\n',
              ',',
            ),
            { maxLength: 300 },
          )
          .map((tokens) => ({ query: tokens.join(' ') })),
        fc.string({ unit: 'binary', maxLength: 200 }).map((query) => ({ query })),
      ),
    },
  ];
}
