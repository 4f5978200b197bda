import {
  buildSchema,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { pageColumns, tableColumns } from '../../src/platform/column-projection';
import { Reads } from '../../src/platform/field-reads';

const schema = buildSchema(`
  type Query { items: ItemList other: Int note: Note }
  type ItemList { nodes: [Item!]! }
  type Item { id: ID! a: String b: String owner: Owner }
  type Owner { name: String secret: String }
  type Note { text: String byline: String }
`);

// What each field reads, as resolvers declare it beside them; Item.b and Owner.secret do not.
const declare = (type: string, field: string, reads?: Record<string, string[]>) =>
  Reads(type, reads)({}, field);
declare('Item', 'id');
declare('Item', 'a', { self: ['a'] });
declare('Item', 'owner');
declare('Owner', 'name', { self: ['name'] });
// A type no page here joins, reading its own row and, through the loaders, its owner's.
declare('Note', 'byline', { self: ['text'], owner: ['secret'] });

/** What a resolver's info carries that the projection reads. */
function infoOf(query: string): GraphQLResolveInfo {
  const doc = parse(query);
  const operation = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return { schema, operation, fragments } as unknown as GraphQLResolveInfo;
}

const page = pageColumns(
  [
    ...tableColumns('t', ['id', 'a', 'b', 'owner_id']),
    ...tableColumns('o', ['id', 'name', 'secret']),
  ],
  {
    always: ['t.id', 't.owner_id', 'o.id'],
    joins: { Item: { self: 't' }, Owner: { self: 'o' } },
  },
);
const EVERYTHING =
  't.id AS t_id, t.a AS t_a, t.b AS t_b, t.owner_id AS t_owner_id, o.id AS o_id, o.name AS o_name, o.secret AS o_secret';

describe('pageColumns', () => {
  it('selects what the described fields read, in the full list’s order', () => {
    expect(page.select(infoOf('{ items { nodes { owner { name } a __typename } } }')).list).toBe(
      't.id AS t_id, t.a AS t_a, t.owner_id AS t_owner_id, o.id AS o_id, o.name AS o_name',
    );
    expect(page.select(infoOf('{ items { nodes { id } } }')).list).toBe(
      't.id AS t_id, t.owner_id AS t_owner_id, o.id AS o_id',
    );
  });

  it('follows fragments, inline fragments and directives (a skipped field still counts)', () => {
    const query = `query Q($no: Boolean!) { items { ...L } }
      fragment L on ItemList { nodes { ... on Item { ...I } ... { owner { name @skip(if: $no) } } } }
      fragment I on Item { a ...I2 } fragment I2 on Item { id }`;
    expect(page.select(infoOf(query)).list).toBe(
      't.id AS t_id, t.a AS t_a, t.owner_id AS t_owner_id, o.id AS o_id, o.name AS o_name',
    );
  });

  it('names the columns it selects, for the row mappers', () => {
    expect(page.select(infoOf('{ items { nodes { a } } }')).only).toEqual(
      new Set(['t.id', 't.owner_id', 'o.id', 't.a']),
    );
  });

  it('adds the extra columns asked for (sort keys)', () => {
    expect(page.select(infoOf('{ items { nodes { id } } }'), ['t.b']).list).toBe(
      't.id AS t_id, t.b AS t_b, t.owner_id AS t_owner_id, o.id AS o_id',
    );
    expect(() => page.select(infoOf('{ items { nodes { id } } }'), ['t.nope'])).toThrow(
      /not columns of this page: t\.nope/,
    );
  });

  it.each([
    ['a field of the page it does not describe', '{ items { nodes { b } } }'],
    ['a nested one', '{ items { nodes { owner { secret } } } }'],
    ['a fragment on another type', '{ items { nodes { ... on Owner { name } } } }'],
    ['a missing fragment', '{ items { nodes { ...Missing } } }'],
  ])('reads every column for %s', (_what, query) => {
    expect(page.select(infoOf(query))).toEqual({ list: EVERYTHING, only: undefined, joins: [] });
  });

  it('counts nothing for root fields and for types the page does not join', () => {
    expect(page.select(infoOf('{ items { nodes { id } } other note { text } }')).list).toBe(
      't.id AS t_id, t.owner_id AS t_owner_id, o.id AS o_id',
    );
  });

  it('reads what a type it does not join reads of a row it joins (through the loaders)', () => {
    const withOwner = pageColumns(
      [
        ...tableColumns('t', ['id', 'a', 'b', 'owner_id']),
        ...tableColumns('o', ['id', 'name', 'secret']),
      ],
      {
        always: ['t.id', 'o.id'],
        joins: { Item: { self: 't', owner: 'o' }, Owner: { self: 'o' } },
      },
    );
    expect(withOwner.select(infoOf('{ items { nodes { id } } note { byline } }')).list).toBe(
      't.id AS t_id, o.id AS o_id, o.secret AS o_secret',
    );
    // A page that puts no owners into the loaders reads nothing for it.
    expect(page.select(infoOf('{ items { nodes { id } } note { byline } }')).list).toBe(
      't.id AS t_id, t.owner_id AS t_owner_id, o.id AS o_id',
    );
  });

  it('makes an optional join only for operations that show a field reading it', () => {
    const join = {
      fields: ['Item.owner', 'Note.byline'],
      columns: tableColumns('x', ['id', 'name']),
      sql: () => 'LEFT JOIN owners x ON x.id = t.owner_id',
      prime: () => undefined,
    };
    const joining = pageColumns(tableColumns('t', ['id', 'a', 'owner_id']), {
      always: ['t.id'],
      joins: { Item: { self: 't' } },
      optional: [join],
    });
    const shown = joining.select(infoOf('{ items { nodes { a owner { __typename } } } }'));
    expect(shown).toEqual({
      list: 't.id AS t_id, t.a AS t_a, x.id AS x_id, x.name AS x_name',
      only: new Set(['t.id', 't.a', 'x.id', 'x.name']),
      joins: [join],
    });
    // Anywhere in the operation, under any type that names it.
    expect(joining.select(infoOf('{ items { nodes { id } } note { byline } }')).joins).toEqual([
      join,
    ]);
    expect(joining.select(infoOf('{ items { nodes { a } } }'))).toEqual({
      list: 't.id AS t_id, t.a AS t_a',
      only: new Set(['t.id', 't.a']),
      joins: [],
    });
    // Reading every column, the page makes none: the loaders load what is shown.
    expect(joining.select(undefined).joins).toEqual([]);
  });

  it('reads every column without an operation', () => {
    expect(page.select(undefined)).toEqual({ list: EVERYTHING, only: undefined, joins: [] });
  });

  it('refuses needs that name columns the page does not have', () => {
    expect(() =>
      pageColumns(tableColumns('t', ['id']), {
        always: ['t.id'],
        joins: {},
        extra: { 'Item.a': ['t.a'] },
      }),
    ).toThrow(/not columns of this page: t\.a/);
    const noOwner = pageColumns(tableColumns('t', ['id', 'a']), {
      always: ['t.id'],
      joins: { Item: { self: 't' }, Owner: { self: 't' } },
    });
    expect(() => noOwner.select(infoOf('{ items { nodes { owner { name } } } }'))).toThrow(
      /not columns of this page: t\.name/,
    );
  });
});
