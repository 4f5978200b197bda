import 'reflect-metadata';
import {
  graphql,
  isObjectType,
  type ExecutionResult,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import {
  Arg,
  Authorized,
  buildSchema,
  Ctx,
  Field,
  FieldResolver,
  getMetadataStorage,
  Info,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  UseMiddleware,
  type AuthChecker,
  type MiddlewareFn,
} from 'type-graphql';
import { buildSchemaWithDirectResolvers } from '../../src/app/type-graphql-direct-resolvers';

// Guarded fields are nullable, so that each refusal leaves its siblings answered.
// A schema of every kind of field the module tells apart, built from these classes alone (this
// file's type-graphql metadata holds nothing else): what it reads of type-graphql's metadata,
// and what the built schema does with it. If type-graphql (pinned at 2.0.0-rc.4) records its
// metadata otherwise or resolves otherwise, this fails, and so does the API's start.

interface Context {
  roles: string[];
  rows: unknown[];
}

/** One call of a fixture resolver: whether type-graphql's wrapper ran it, and what it got. */
interface Seen {
  field: string;
  viaTypeGraphql: boolean;
  root: unknown;
}
let seen: Seen[] = [];

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

const see = (field: string, root: unknown) =>
  seen.push({ field, viaTypeGraphql: viaTypeGraphql(), root });

let middlewareRuns: string[] = [];
const counting: MiddlewareFn = ({ info }, next) => {
  middlewareRuns.push(`${info.parentType.name}.${info.fieldName}`);
  return next();
};

const authChecker: AuthChecker<Context> = ({ context }, roles) =>
  roles.every((role) => context.roles.includes(role));

@ObjectType({ description: 'A row.' })
class Row {
  @Field(() => String, { description: 'A property.' })
  label!: string;

  @Field(() => String, { name: 'title', description: 'A property under another name.' })
  heading!: string;

  @Authorized('ADMIN')
  @Field(() => String, { nullable: true, description: 'A guarded property.' })
  secret!: string;

  @UseMiddleware(counting)
  @Field(() => String, { description: 'A property under middleware.' })
  counted!: string;

  n!: number;

  @Field(() => Int, { description: 'A method of the object type.' })
  double(): number {
    see('double', this);
    return this.n * 2;
  }
}

@Resolver(() => Row)
class RowResolver {
  @Query(() => [Row], { description: 'The rows of the context.' })
  rows(@Ctx() ctx: Context): unknown[] {
    return ctx.rows;
  }

  @FieldResolver(() => String, { description: 'Root and context.' })
  described(@Root() row: Row, @Ctx() ctx: Context): string {
    see('described', row);
    return `${row.label} for ${ctx.roles.join('+') || 'anyone'}`;
  }

  @FieldResolver(() => String, { description: 'Root only.' })
  shouted(@Root() row: Row): string {
    see('shouted', row);
    return row.label.toUpperCase();
  }

  @FieldResolver(() => String, { description: 'An argument.' })
  padded(@Root() row: Row, @Arg('width', () => Int) width: number): string {
    see('padded', row);
    return row.label.padStart(width, '.');
  }

  @FieldResolver(() => String, { description: 'The resolve info.' })
  path(@Root() row: Row, @Info() info: GraphQLResolveInfo): string {
    see('path', row);
    return `${info.parentType.name}.${info.fieldName}`;
  }

  @FieldResolver(() => String, { description: 'A property of the root.' })
  labelled(@Root('label') label: string): string {
    see('labelled', label);
    return label;
  }

  @Authorized('ADMIN')
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A guarded field resolver.',
  })
  audit(@Root() row: Row): string {
    see('audit', row);
    return `audit ${row.label}`;
  }

  @UseMiddleware(counting)
  @FieldResolver(() => String, { description: 'A field resolver under middleware.' })
  traced(@Root() row: Row): string {
    see('traced', row);
    return `traced ${row.label}`;
  }
}

@Authorized('ADMIN')
@Resolver(() => Row)
class AdminRowResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A field resolver of a guarded class.',
  })
  note(@Root() row: Row): string {
    see('note', row);
    return `note ${row.label}`;
  }
}

@UseMiddleware(counting)
@Resolver(() => Row)
class TracedRowResolver {
  @FieldResolver(() => String, { description: 'A field resolver of a class under middleware.' })
  logged(@Root() row: Row): string {
    see('logged', row);
    return `logged ${row.label}`;
  }
}

const resolvers = [RowResolver, AdminRowResolver, TracedRowResolver] as const;
const options = { resolvers, authChecker, validate: false } as const;

const values = { label: 'a', heading: 'h', secret: 's', counted: 'c', n: 21 };
const instance = () => Object.assign(new Row(), values);

const ALL =
  '{ rows { label title secret counted double described shouted padded(width: 3) path labelled audit traced note logged } }';

async function run(schema: GraphQLSchema, rows: unknown[], roles: string[], source = ALL) {
  seen = [];
  middlewareRuns = [];
  const result: ExecutionResult = await graphql({ schema, source, contextValue: { roles, rows } });
  return { result: JSON.parse(JSON.stringify(result)) as unknown, seen, middlewareRuns };
}

let schema: GraphQLSchema;
let plain: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchemaWithDirectResolvers(options);
  plain = await buildSchema(options);
});

const rowField = (name: string) => {
  const row = schema.getType('Row');
  if (!isObjectType(row)) throw new Error('no Row type');
  return row.getFields()[name]!;
};

describe("type-graphql's metadata", () => {
  // Each expectation is a property src/app/type-graphql-direct-resolvers.ts reads.
  const storage = getMetadataStorage();

  it('lists object types by name and class', () => {
    expect(storage.objectTypes).toContainEqual(
      expect.objectContaining({ name: 'Row', target: Row }),
    );
  });

  it('lists fields by class, property and schema name, with the `simple` option unset', () => {
    expect(storage.fields).toContainEqual(
      expect.objectContaining({
        target: Row,
        name: 'label',
        schemaName: 'label',
        simple: undefined,
      }),
    );
    expect(storage.fields).toContainEqual(
      expect.objectContaining({ target: Row, name: 'heading', schemaName: 'title' }),
    );
  });

  it("lists an object type's methods as internal field resolvers, a resolver class's as external", () => {
    expect(storage.fieldResolvers).toContainEqual(
      expect.objectContaining({
        kind: 'internal',
        target: Row,
        methodName: 'double',
        schemaName: 'double',
      }),
    );
    expect(storage.fieldResolvers).toContainEqual(
      expect.objectContaining({
        kind: 'external',
        target: RowResolver,
        methodName: 'described',
        schemaName: 'described',
      }),
    );
  });

  it('gives each resolver class the object type it resolves fields of', () => {
    const resolverClass = storage.resolverClasses.find((r) => r.target === RowResolver);
    expect(resolverClass?.getObjectType?.()).toBe(Row);
  });

  it('lists parameters by class, method and index, with their kind, property and type', () => {
    const params = (method: string) =>
      storage.params
        .filter((p) => p.target === RowResolver && p.methodName === method)
        .sort((a, b) => a.index - b.index);
    const [root, context] = params('described');
    expect(root).toEqual(
      expect.objectContaining({
        kind: 'root',
        index: 0,
        propertyName: undefined,
        getType: expect.any(Function),
      }),
    );
    expect(root?.kind === 'root' && root.getType?.()).toBe(Row);
    expect(context).toEqual(
      expect.objectContaining({ kind: 'context', index: 1, propertyName: undefined }),
    );
    expect(params('padded').map((p) => p.kind)).toEqual(['root', 'arg']);
    expect(params('path').map((p) => p.kind)).toEqual(['root', 'info']);
    expect(params('labelled')).toEqual([
      expect.objectContaining({ kind: 'root', propertyName: 'label' }),
    ]);
  });

  it('lists `@Authorized` and `@UseMiddleware` by class and field, or by class', () => {
    expect(storage.authorizedFields).toContainEqual(
      expect.objectContaining({ target: Row, fieldName: 'secret' }),
    );
    expect(storage.authorizedFields).toContainEqual(
      expect.objectContaining({ target: RowResolver, fieldName: 'audit' }),
    );
    expect(storage.middlewares).toContainEqual(
      expect.objectContaining({ target: Row, fieldName: 'counted' }),
    );
    expect(storage.middlewares).toContainEqual(
      expect.objectContaining({ target: RowResolver, fieldName: 'traced' }),
    );
    expect(storage.authorizedResolver).toContainEqual(
      expect.objectContaining({ target: AdminRowResolver }),
    );
    expect(storage.resolverMiddlewares).toContainEqual(
      expect.objectContaining({ target: TracedRowResolver }),
    );
  });

  it('of another shape stops the build, saying what differs', async () => {
    const fields = storage.fields as unknown as object[];
    fields.push({ target: Row, name: 'broken' });
    try {
      await expect(buildSchemaWithDirectResolvers(options)).rejects.toThrow(
        `type-graphql's metadata is not of the shape src/app/type-graphql-direct-resolvers.ts reads (fields[${fields.length - 1}].schemaName is undefined, not string)`,
      );
    } finally {
      fields.pop();
    }
    const lists = storage as unknown as Record<string, unknown>;
    const authorized = lists.authorizedFields;
    delete lists.authorizedFields;
    try {
      await expect(buildSchemaWithDirectResolvers(options)).rejects.toThrow(
        '(authorizedFields is undefined, not a list)',
      );
    } finally {
      lists.authorizedFields = authorized;
    }
  });
});

describe('the schema built with direct resolvers', () => {
  it('reads a plain property as graphql-js does, with no resolver of its own', async () => {
    expect(rowField('label').resolve).toBeUndefined();
    // A renamed, guarded or middleware field keeps type-graphql's resolver.
    for (const name of ['title', 'secret', 'counted']) expect(rowField(name).resolve).toBeDefined();
    expect(await run(schema, [values], ['ADMIN'], '{ rows { label title } }')).toMatchObject({
      result: { data: { rows: [{ label: 'a', title: 'h' }] } },
    });
  });

  it('calls a field resolver of root and context directly for a root of its class', async () => {
    const row = instance();
    const { seen } = await run(schema, [row], ['ADMIN']);
    const direct = seen.filter((s) => !s.viaTypeGraphql).map((s) => s.field);
    expect(direct.sort()).toEqual(['described', 'double', 'shouted']);
    // The very root, as `this` of the object type's method or as the resolver's argument.
    for (const s of seen.filter((s) => !s.viaTypeGraphql)) expect(s.root).toBe(row);
  });

  it('calls it through type-graphql for any other root, which makes that an instance', async () => {
    const { seen } = await run(schema, [values], ['ADMIN']);
    expect(seen.filter((s) => !s.viaTypeGraphql)).toEqual([]);
    for (const s of seen.filter((s) => s.field !== 'labelled')) {
      expect(s.root).toBeInstanceOf(Row);
      expect(s.root).toMatchObject(values);
    }
  });

  it('leaves every other field resolver, guarded or not, to type-graphql', async () => {
    const { seen } = await run(schema, [instance()], ['ADMIN']);
    const wrapped = seen.filter((s) => s.viaTypeGraphql).map((s) => s.field);
    expect(wrapped.sort()).toEqual([
      'audit',
      'labelled',
      'logged',
      'note',
      'padded',
      'path',
      'traced',
    ]);
  });

  it('still applies `@Authorized` and `@UseMiddleware`, on fields and on classes', async () => {
    const { result, middlewareRuns } = await run(schema, [instance()], []);
    const errors = (result as ExecutionResult).errors ?? [];
    expect(errors.map((e) => e.path?.join('.')).sort()).toEqual([
      'rows.0.audit',
      'rows.0.note',
      'rows.0.secret',
    ]);
    expect(errors.map((e) => e.message)).toEqual(
      errors.map(() => expect.stringMatching(/Access denied/)),
    );
    expect(middlewareRuns.sort()).toEqual(['Row.counted', 'Row.logged', 'Row.traced']);
  });

  it("answers as type-graphql's own schema does, for every root and viewer", async () => {
    for (const rows of [[instance()], [values]]) {
      for (const roles of [[], ['ADMIN']]) {
        const ours = await run(schema, rows, roles);
        const theirs = await run(plain, rows, roles);
        expect(ours.result).toEqual(theirs.result);
        expect(ours.middlewareRuns).toEqual(theirs.middlewareRuns);
        expect(ours.seen.map((s) => s.field)).toEqual(theirs.seen.map((s) => s.field));
      }
    }
  });
});
