import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { ROOT } from './services';

/** The served schema as committed: the fuzzer covers whatever it declares, new fields included. */
export function loadSchema(): GraphQLSchema {
  return buildSchema(fs.readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface RootField {
  kind: OperationKind;
  field: GraphQLField<unknown, unknown>;
}

export function rootFields(schema: GraphQLSchema, kinds: OperationKind[]): RootField[] {
  const roots: [OperationKind, GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([kind, type]) =>
    type && kinds.includes(kind)
      ? Object.values(type.getFields()).map((field) => ({ kind, field }))
      : [],
  );
}

/**
 * Leaf fields of a type down to `depth` levels, skipping fields that need arguments: enough to
 * make the resolvers behind a root field run, small enough to stay under the cost bound.
 */
export function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (!isObjectType(type) || depth <= 0) return '{ __typename }';
  const parts: string[] = [];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) parts.push(f.name);
    else if (depth > 1) parts.push(`${f.name} ${selectionOf(named, depth - 1)}`);
  }
  return `{ __typename ${parts.join(' ')} }`;
}

/** Real values of the fuzzing world, so that half-valid inputs get past the first check. */
export interface Pools {
  ids: Record<
    'call' | 'dispute' | 'evidence' | 'notification' | 'account' | 'campaign' | 'user',
    string[]
  >;
  /** endCursors the API returned, each list and ordering. */
  cursors: string[];
  /** The same, by the root field that returned them. */
  cursorsByField: Record<string, string[]>;
}

/**
 * A family of generated values: what a leaf of a given type becomes when this family is
 * being fuzzed, or null when the family has nothing to say about that leaf (it then gets a
 * plausible valid value, so the request reaches deeper checks).
 */
export interface Family {
  name: string;
  leaf(type: GraphQLNamedType, hint: string, pools: Pools): fc.Arbitrary<unknown> | null;
  /** Arrays for list types (default: 0–3 items of the item type). */
  list?(item: fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]>;
  /** Replaces a whole argument or input field (wrong JSON types, missing fields). */
  whole?(type: GraphQLInputType): fc.Arbitrary<unknown> | null;
}

/** "Absent": the variable is left out of the request. */
export const ABSENT = Symbol('absent');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function idPoolFor(hint: string, pools: Pools): string[] {
  const h = hint.toLowerCase();
  const pick = (k: keyof Pools['ids']) => pools.ids[k];
  if (h.includes('evidence')) return pick('evidence');
  if (h.includes('dispute')) return pick('dispute');
  if (h.includes('call')) return pick('call');
  if (h.includes('campaign')) return pick('campaign');
  if (h.includes('buyer') || h.includes('account')) return pick('account');
  if (h.includes('user') || h.includes('actor')) return pick('user');
  if (h === 'ids' || h.includes('notification')) return pick('notification');
  return Object.values(pools.ids).flat();
}

/** A plausible, valid value for a leaf: real IDs, in-range numbers, well-formed text. */
export function validLeaf(
  type: GraphQLNamedType,
  hint: string,
  pools: Pools,
): fc.Arbitrary<unknown> {
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name));
  const h = hint.toLowerCase();
  switch (type.name) {
    case 'ID': {
      const pool = idPoolFor(hint, pools);
      return pool.length ? fc.constantFrom(...pool) : fc.uuid({ version: 4 });
    }
    case 'Int':
      if (h === 'first' || h === 'last') return fc.integer({ min: 1, max: 100 });
      if (h.includes('size')) return fc.integer({ min: 1, max: 1_000_000 });
      return fc.integer({ min: 0, max: 100 });
    case 'Float':
      return fc.double({ min: 0, max: 1000, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'Decimal':
      return fc.constantFrom('0.01', '1.00', '12.5', '24.99', 3, '0');
    case 'DateTime':
      return fc
        .date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2030-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    case 'String':
      if (h === 'after' || h === 'before' || h.includes('cursor'))
        return pools.cursors.length ? fc.constantFrom(...pools.cursors) : fc.constant('');
      if (h.includes('contenttype'))
        return fc.constantFrom('image/png', 'application/pdf', 'text/plain', 'audio/mpeg');
      if (h.includes('filename')) return fc.constantFrom('call.png', 'notes.txt', 'a.pdf');
      if (h.includes('url'))
        return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/x');
      return fc.string({ minLength: 1, maxLength: 40 });
    default:
      return fc.string({ maxLength: 20 });
  }
}

/** Builds the value of an input type under a family, biased toward the family's values. */
export function inputValue(
  type: GraphQLInputType,
  hint: string,
  family: Family,
  pools: Pools,
  depth = 0,
): fc.Arbitrary<unknown> {
  const whole = family.whole?.(type);
  const shaped = shapedValue(type, hint, family, pools, depth);
  return whole
    ? fc.oneof({ arbitrary: shaped, weight: 2 }, { arbitrary: whole, weight: 1 })
    : shaped;
}

function shapedValue(
  type: GraphQLInputType,
  hint: string,
  family: Family,
  pools: Pools,
  depth: number,
): fc.Arbitrary<unknown> {
  const nullable = !isNonNullType(type);
  const inner = getNullableType(type) as GraphQLInputType;
  let arb: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    const item = inputValue(inner.ofType as GraphQLInputType, hint, family, pools, depth + 1);
    arb = family.list ? family.list(item) : fc.array(item, { maxLength: 3 });
  } else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    const entries = fields.map((f) => {
      const value = inputValue(f.type, f.name, family, pools, depth + 1);
      // Optional fields are often left out, as clients do.
      const optional = !isNonNullType(f.type) || f.defaultValue !== undefined;
      return [
        f.name,
        optional ? fc.option(value, { nil: ABSENT as unknown, freq: 3 }) : value,
      ] as const;
    });
    arb = fc.tuple(...entries.map(([, v]) => v)).map((values) => {
      const out: Record<string, unknown> = {};
      values.forEach((v, i) => {
        if (v !== ABSENT) out[entries[i]![0]] = v;
      });
      return out;
    });
  } else {
    const named = inner as GraphQLNamedType;
    const nasty = family.leaf(named, hint, pools);
    const valid = validLeaf(named, hint, pools);
    arb = nasty
      ? fc.oneof({ arbitrary: nasty, weight: 2 }, { arbitrary: valid, weight: 1 })
      : valid;
  }
  return nullable && depth === 0
    ? fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: fc.constant(null), weight: 1 })
    : arb;
}

// ---- the families --------------------------------------------------------------------------

const isCursorHint = (h: string) => /^(after|before)$|cursor/i.test(h);
/** Free text: String leaves other than cursors, which have families of their own. */
const isText = (t: GraphQLNamedType, hint = '') => t.name === 'String' && !isCursorHint(hint);

/** Text of a given length in code points, from a given alphabet. */
const textOfLength = (lengths: number[], alphabet: string[]) =>
  fc
    .tuple(fc.constantFrom(...lengths), fc.constantFrom(...alphabet), fc.nat({ max: 3 }))
    .map(([n, ch, jitter]) => ch.repeat(Math.max(0, n - jitter)) + 'x'.repeat(Math.min(n, jitter)));

const LENGTHS = [0, 1, 2, 254, 255, 256, 1999, 2000, 2001, 2048, 2049, 10_000, 100_000];
const ALPHABET = ['a', ' ', 'é', '日', '😀', '\u200b', '\u0301', 'ß', '\t', '\n', '\ufeff'];

/** Wrong JSON types for anything: what a careless or hostile client sends. */
const wrongJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 5 }),
  fc.constant({}),
  fc.constant([]),
  fc.constant([[[]]]),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
);

const withNul = (base: fc.Arbitrary<string>) =>
  fc
    .tuple(base, fc.nat(), fc.constantFrom('\u0000', '\u0000\u0000', 'a\u0000b'))
    .map(([s, at, nul]) => {
      const i = s.length ? at % (s.length + 1) : 0;
      return s.slice(0, i) + nul + s.slice(i);
    });

const LONE_SURROGATES = [
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\udc00\ud800',
  '😀'.slice(0, 1),
  '😀'.slice(1),
];
const withSurrogate = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.nat(), fc.constantFrom(...LONE_SURROGATES)).map(([s, at, bad]) => {
    const i = s.length ? at % (s.length + 1) : 0;
    return s.slice(0, i) + bad + s.slice(i);
  });

const NOT_UUIDS = [
  '',
  ' ',
  'null',
  'undefined',
  '0',
  '-1',
  '1e5',
  'x',
  '%',
  '_',
  '\\',
  '*',
  "' OR '1'='1",
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000000040008000000000000000',
  '00000000-0000-4000-8000-00000000000',
  '00000000-0000-4000-8000-0000000000000',
  'g0000000-0000-4000-8000-000000000000',
  '０0000000-0000-4000-8000-000000000000',
  'x'.repeat(100_000),
];
const mangleUuid = (u: string) =>
  fc
    .constantFrom(
      (s: string) => s.toUpperCase(),
      (s: string) => ` ${s}`,
      (s: string) => `${s}\n`,
      (s: string) => `${s}\u0000`,
      (s: string) => s.replace(/-/g, ''),
      (s: string) => s.slice(1),
      (s: string) => `${s},${s}`,
      (s: string) => `urn:uuid:${s}`,
    )
    .map((f) => f(u));

const INTS = [
  0,
  -1,
  1,
  100,
  101,
  1000,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53,
  1e300,
  1.5,
  -0.5,
];
const DECIMALS: unknown[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '1e3',
  '007.5',
  '-0',
  '-1',
  '-0.01',
  '1.234',
  '1.',
  '.5',
  '',
  ' ',
  ' 1.00',
  '1.00 ',
  '1,00',
  '1_000',
  '0x10',
  '+1',
  '12.50\u0000',
  '１２.５０',
  '99999999999999.99',
  '9999999999999.99',
  '9007199254740993',
  '0.001',
  '1e-2',
  'null',
  -1,
  -0,
  1.234,
  1e21,
  2 ** 53,
  1e300,
  0.1 + 0.2,
  true,
  [],
  {},
  '💸',
];
const DATETIMES: unknown[] = [
  '',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-26',
  '2026-11-26T25:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '2026-11-26T05:28:51+25:00',
  '2026-11-26T05:28:51.1234567891Z',
  '2026-11-26T05:28:51',
  '2026-11-26 05:28:51Z',
  'now',
  'Infinity',
  'epoch',
  '2026-11-26T05:28:51Z\u0000',
  1_700_000_000_000,
  0,
  -1,
  1e300,
  true,
];

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decoded real cursors: [tag, ...keys]. */
function cursorShapes(pools: Pools): unknown[][] {
  const shapes: unknown[][] = [];
  for (const c of pools.cursors) {
    try {
      const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
      if (Array.isArray(v)) shapes.push(v);
    } catch {
      // Not a JSON cursor: forging needs the shape, malformed cursors do not.
    }
  }
  return shapes;
}

const WRONG_KEYS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 63,
  '',
  'x',
  'not-a-date',
  '2026-02-30T00:00:00Z',
  '\u0000',
  '\ud800',
  'x'.repeat(10_000),
  [],
  [1, 2],
  {},
  { $gt: '' },
  'NaN',
  '00000000-0000-0000-0000-00000000000g',
  "'; DROP TABLE disputes; --",
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
];

/** The named classes of generated values; each is a property, and `mixed` draws from all. */
export function argumentFamilies(): Family[] {
  return [
    {
      name: 'text-nul',
      leaf: (t, hint) => (isText(t, hint) ? withNul(fc.string({ maxLength: 30 })) : null),
    },
    {
      name: 'text-surrogate',
      leaf: (t, hint) => (isText(t, hint) ? withSurrogate(fc.string({ maxLength: 30 })) : null),
    },
    {
      name: 'text-long',
      leaf: (t, hint) => (isText(t, hint) ? textOfLength(LENGTHS, ALPHABET) : null),
    },
    {
      name: 'text-unicode',
      leaf: (t, hint) =>
        isText(t, hint)
          ? fc.oneof(
              fc.string({ unit: 'grapheme', maxLength: 50 }),
              // Any code point but NUL and unpaired surrogates, which text-nul and text-surrogate cover.
              fc
                .string({ unit: 'binary', maxLength: 50 })
                .map((s) => s.split('\u0000').join(''))
                .filter((s) => !/\\ud[89a-f]/i.test(JSON.stringify(s))),
              fc.constantFrom(
                '\u202e\u202dreversed',
                '\u0001\u0002\u001f\u007f',
                '\uffff\ufffe',
                '\r\n\r\n',
                '%s%n%x',
                '${7*7}',
                '<script>alert(1)</script>',
                "'; --",
                '\\x00',
                '💩'.repeat(500),
              ),
            )
          : null,
    },
    {
      name: 'id-malformed',
      leaf: (t, hint, pools) =>
        t.name === 'ID'
          ? fc.oneof(
              fc.constantFrom(...NOT_UUIDS),
              fc.string({ maxLength: 40 }).filter((s) => !UUID_RE.test(s)),
              fc.integer(),
              fc
                .constantFrom(...idPoolFor(hint, pools), '00000000-0000-4000-8000-000000000000')
                .chain(mangleUuid),
            )
          : null,
    },
    {
      name: 'id-foreign',
      leaf: (t, _hint, pools) =>
        t.name === 'ID'
          ? fc.oneof(fc.uuid(), fc.constantFrom(...Object.values(pools.ids).flat()))
          : null,
    },
    {
      name: 'number-range',
      leaf: (t) =>
        t.name === 'Int' || t.name === 'Float'
          ? fc.oneof(
              fc.constantFrom(...INTS),
              fc.integer(),
              fc.double({ noNaN: true, noDefaultInfinity: true }),
            )
          : null,
    },
    {
      name: 'decimal-malformed',
      leaf: (t) =>
        t.name === 'Decimal'
          ? fc.oneof(
              fc.constantFrom(...DECIMALS),
              fc.string({ maxLength: 12 }),
              fc.double({ noNaN: true, noDefaultInfinity: true }),
            )
          : null,
    },
    {
      name: 'datetime-malformed',
      leaf: (t) =>
        t.name === 'DateTime'
          ? fc.oneof(
              fc.constantFrom(...DATETIMES),
              fc.string({ maxLength: 30 }),
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            )
          : null,
    },
    {
      name: 'cursor-malformed',
      leaf: (t, hint, pools) =>
        t.name === 'String' && isCursorHint(hint)
          ? fc.oneof(
              fc.constantFrom(
                '',
                '=',
                '====',
                '!!!',
                'e30',
                'bnVsbA',
                'W10',
                'WyJ4Il0',
                '\u0000',
                'x'.repeat(100_000),
              ),
              fc.string({ maxLength: 60 }),
              fc.jsonValue({ maxDepth: 3 }).map(base64urlJson),
              fc
                .jsonValue({ maxDepth: 2 })
                .map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
              fc
                .constantFrom(...(pools.cursors.length ? pools.cursors : ['x']))
                .map((c) => c.slice(0, -2)),
              fc
                .constantFrom(...(pools.cursors.length ? pools.cursors : ['x']))
                .map((c) => `${c}${c}`),
            )
          : null,
    },
    {
      name: 'cursor-forged',
      leaf: (t, hint, pools) => {
        const shapes = cursorShapes(pools);
        if (t.name !== 'String' || !isCursorHint(hint) || !shapes.length) return null;
        // The right tag and arity, with keys of the wrong types: only a schema check after
        // decoding tells these from a real cursor.
        return fc
          .tuple(
            fc.constantFrom(...shapes),
            fc.array(fc.constantFrom(...WRONG_KEYS), { minLength: 8, maxLength: 8 }),
            fc.nat(),
          )
          .map(([shape, wrong, mask]) => {
            const forged = shape.map((v, i) => (i > 0 && (mask >> i) % 2 === 0 ? wrong[i % 8] : v));
            if (forged.slice(1).every((v, i) => v === shape[i + 1])) forged[1] = wrong[0];
            return base64urlJson(forged);
          });
      },
    },
    {
      name: 'enum-invalid',
      leaf: (t) =>
        isEnumType(t)
          ? fc.oneof(
              fc.constantFrom(
                '',
                'null',
                'true',
                '__typename',
                'pending',
                'PENDING ',
                'ACCEPTED,REJECTED',
                'x'.repeat(10_000),
              ),
              fc.constantFrom(...t.getValues().map((v) => v.name.toLowerCase())),
              fc.stringMatching(/^[A-Z_]{1,20}$/),
              fc.integer(),
            )
          : null,
    },
    {
      name: 'type-confusion',
      leaf: () => wrongJson,
      whole: () => wrongJson,
    },
    {
      // More invalid items than graphql-js reports one by one (it stops at 50).
      name: 'list-invalid-items',
      leaf: () => wrongJson.filter((v) => v !== null && typeof v !== 'string'),
      list: (item) => fc.array(item, { minLength: 51, maxLength: 300 }),
    },
    {
      name: 'list-oversized',
      leaf: () => null,
      list: (item) =>
        fc.oneof(
          fc.array(item, { minLength: 0, maxLength: 0 }),
          fc.array(item, { minLength: 99, maxLength: 102 }),
          fc
            .tuple(item, fc.integer({ min: 101, max: 1000 }))
            .map(([v, n]) => Array.from({ length: n }, () => v)),
        ),
    },
  ];
}

/**
 * Every family at once: each leaf picks its own family. Long lists only when
 * `list-invalid-items` is among them (their invalid items would be that family's case).
 */
export function mixedFamily(families: Family[]): Family {
  const longLists = families.some((f) => f.name === 'list-invalid-items');
  return {
    name: 'mixed',
    leaf: (t, hint, pools) => {
      const arbs = families
        .map((f) => f.leaf(t, hint, pools))
        .filter((a): a is fc.Arbitrary<unknown> => !!a);
      return arbs.length ? fc.oneof(...arbs) : null;
    },
    list: (item) =>
      fc.oneof(
        { arbitrary: fc.array(item, { maxLength: 3 }), weight: 4 },
        {
          arbitrary: longLists
            ? fc.array(item, { minLength: 95, maxLength: 105 })
            : fc.array(item, { minLength: 6, maxLength: 8 }),
          weight: 1,
        },
      ),
    whole: () => fc.oneof({ arbitrary: wrongJson, weight: 1 }),
  };
}

/** A GraphQL literal for a JSON value, or null when none can express it (then variables are used). */
export function toLiteral(value: unknown, type: GraphQLInputType): string | null {
  if (value === null) return 'null';
  const inner = getNullableType(type);
  if (Array.isArray(value)) {
    const item = isListType(inner) ? (inner.ofType as GraphQLInputType) : inner;
    const parts = value.map((v) => toLiteral(v, item as GraphQLInputType));
    return parts.every((p) => p !== null) ? `[${parts.join(', ')}]` : null;
  }
  switch (typeof value) {
    case 'string':
      if (isEnumType(getNamedType(inner)) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'boolean':
      return String(value);
    case 'object': {
      const named = getNamedType(inner);
      const fields = isInputObjectType(named) ? named.getFields() : {};
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(k)) return null;
        const lit = toLiteral(v, (fields[k]?.type ?? inner) as GraphQLInputType);
        if (lit === null) return null;
        parts.push(`${k}: ${lit}`);
      }
      return `{ ${parts.join(', ')} }`;
    }
    default:
      return null;
  }
}

/** One generated HTTP request for a root field: the document and its variables. */
export interface GeneratedOperation {
  field: string;
  kind: OperationKind;
  query: string;
  variables: Record<string, unknown>;
}

export function operationArb(
  root: RootField,
  family: Family,
  allPools: Pools,
): fc.Arbitrary<GeneratedOperation> {
  const { field, kind } = root;
  // Cursors of this very list, so forged ones carry the right tag.
  const own = allPools.cursorsByField[field.name];
  const pools = own?.length ? { ...allPools, cursors: own } : allPools;
  const args: GraphQLArgument[] = [...field.args];
  const perArg = args.map((a) => {
    const value = inputValue(a.type, a.name, family, pools);
    const optional = !isNonNullType(a.type) || a.defaultValue !== undefined;
    // Required arguments are sometimes left out too: the variable is then missing.
    return fc.option(value, { nil: ABSENT as unknown, freq: optional ? 3 : 20 });
  });
  const selection = selectionOf(getNamedType(field.type), 3);
  return fc
    .tuple(
      fc.tuple(...perArg),
      fc.array(fc.boolean(), { minLength: args.length, maxLength: args.length }),
    )
    .map(([values, inline]) => {
      const defs: string[] = [];
      const uses: string[] = [];
      const variables: Record<string, unknown> = {};
      args.forEach((a, i) => {
        const v = values[i];
        const literal = v === ABSENT ? null : toLiteral(v, a.type);
        if (inline[i] && literal !== null) {
          uses.push(`${a.name}: ${literal}`);
          return;
        }
        defs.push(`$${a.name}: ${String(a.type)}`);
        uses.push(`${a.name}: $${a.name}`);
        if (v !== ABSENT) variables[a.name] = v;
      });
      const query = `${kind} Fuzz${defs.length ? `(${defs.join(', ')})` : ''} { ${field.name}${
        uses.length ? `(${uses.join(', ')})` : ''
      } ${selection} }`;
      return { field: field.name, kind, query, variables };
    });
}
