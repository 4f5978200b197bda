import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isObjectType,
  parse,
  print,
  type ASTNode,
  type DefinitionNode,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { Client } from '../support/client';
import { ROOT } from '../support/services';

/** The public contract: the base and its extensions, in the order they extend each other. */
const CONTRACT_FILES = [
  'contract.graphql',
  'contract-lifecycle.graphql',
  'contract-webhooks.graphql',
] as const;

/**
 * Contract files built in part so far: the copy is kept equal, and the parts built are checked
 * name by name below. contract-desk.graphql: table settings (rule 18); exports and reopening
 * (rules 19, 20) join once built, and the file then moves to CONTRACT_FILES.
 */
const PARTLY_BUILT_FILES = ['contract-desk.graphql'] as const;

/** The parts of contract-desk.graphql the schema serves: whole types, and fields it extends. */
const DESK_BUILT = {
  types: [
    'TableName',
    'TableColumn',
    'TableSettings',
    'DisputeOrderSetting',
    'SaveTableSettingsInput',
  ],
  fields: [
    'Viewer.tableSettings',
    'Mutation.saveTableSettings',
    'Mutation.resetTableSettings',
    'Subscription.tableSettingsChanged',
  ],
};

const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

/** The shared contract, where the repository is checked out beside it (a clean clone is not). */
const SHARED_CONTRACT = path.join(ROOT, '..', 'shared', 'contract');
const HAVE_SHARED = fs.existsSync(SHARED_CONTRACT);
if (!HAVE_SHARED) {
  // Printed by jest under the file's name, beside the skipped tests.
  console.warn(
    `SKIPPED comparing schema/contract*.graphql with the shared contract: ${SHARED_CONTRACT} ` +
      'is not there (check the repository out beside shared/ to compare).',
  );
}

/**
 * The part of contract-desk.graphql that is built: reopening a decision (rule 20), word for word.
 * The rest of that file (table settings, exports) is not built yet, so the file cannot be
 * checked whole; this part is, against the served schema and against the shared file.
 */
const DESK_REOPENING = `
extend enum DisputeEventType {
  REOPENED
}

extend type DisputeEvent {
  "The manager's reason for a REOPENED event; null for every other type."
  note: String
}

extend enum NotificationKind {
  "To the account's users with DISPUTE_CALLS: a manager reopened a decided dispute."
  DISPUTE_REOPENED
}

extend enum WebhookEventType {
  DISPUTE_REOPENED
}

input ReopenDisputeInput {
  disputeId: ID!
  "Why the decision is reopened: 1 to 2,000 characters after trimming; kept in the history."
  reason: String!
}

extend type Mutation {
  "A manager with EDIT_DISPUTES takes back a decision (README.md, rule 20): the dispute is PENDING again."
  reopenDispute(input: ReopenDisputeInput!): Dispute!
}
`;

type Named = DefinitionNode & { name: { value: string } };
/** The fields or values a definition (or extension) lists. */
const membersOf = (d: DefinitionNode): readonly (ASTNode & { name: { value: string } })[] => {
  const node = d as { fields?: readonly never[]; values?: readonly never[] };
  return node.fields ?? node.values ?? [];
};

let served: GraphQLSchema;
beforeAll(async () => {
  const res = await new Client(null).raw<IntrospectionQuery>(
    getIntrospectionQuery({ descriptions: true }),
  );
  expect(res.errors).toBeUndefined();
  served = buildClientSchema(res.data!);
});

describe('the served schema', () => {
  it('holds the whole public contract: nothing missing, renamed or changed', () => {
    // The extensions (`extend type …`) are read as one document with the base they extend.
    const contract = buildSchema(CONTRACT_FILES.map((f) => read('schema', f)).join('\n'));
    const breaking = findBreakingChanges(contract, served);
    expect(breaking.map((c) => `${c.type}: ${c.description}`)).toEqual([]);
    // Defaults are part of the meaning too (e.g. `first: Int = 50`); additions elsewhere are fine.
    const defaults = findDangerousChanges(contract, served).filter(
      (c) => c.type === 'ARG_DEFAULT_VALUE_CHANGE',
    );
    expect(defaults.map((c) => c.description)).toEqual([]);
  });

  // Without the shared contract beside the repo these are reported as skipped, never as passed;
  // with it, a file missing there fails.
  const COPIES = [...CONTRACT_FILES, ...PARTLY_BUILT_FILES];
  (HAVE_SHARED ? it.each(COPIES) : it.skip.each(COPIES))(
    'keeps its copy of %s equal to the one in ../shared/contract',
    (file) => {
      expect(read('schema', file)).toBe(fs.readFileSync(path.join(SHARED_CONTRACT, file), 'utf8'));
    },
  );

  it('holds the reopening part of contract-desk.graphql (rule 20): nothing missing or changed', () => {
    const contract = buildSchema(
      [...CONTRACT_FILES.map((f) => read('schema', f)), DESK_REOPENING].join('\n'),
    );
    const breaking = findBreakingChanges(contract, served);
    expect(breaking.map((c) => `${c.type}: ${c.description}`)).toEqual([]);
    expect(served.getMutationType()?.getFields().reopenDispute?.type.toString()).toBe('Dispute!');
  });

  it('takes that part word for word from contract-desk.graphql, where that is beside the repo', () => {
    const shared = path.join(ROOT, '..', 'shared', 'contract', 'contract-desk.graphql');
    if (!fs.existsSync(shared)) return;
    const desk = parse(fs.readFileSync(shared, 'utf8')).definitions as readonly Named[];
    for (const def of parse(DESK_REOPENING).definitions as readonly Named[]) {
      const twins = desk.filter((d) => d.kind === def.kind && d.name.value === def.name.value);
      expect({ def: def.name.value, twins: twins.length }).toEqual({
        def: def.name.value,
        twins: 1,
      });
      if (!def.kind.endsWith('Extension')) {
        // A definition of its own is taken whole.
        expect(print(def)).toBe(print(twins[0]!));
        continue;
      }
      for (const member of membersOf(def)) {
        const twin = membersOf(twins[0]!).find((m) => m.name.value === member.name.value);
        expect(twin && print(twin)).toBe(print(member));
      }
    }
  });

  it('holds the table settings of contract-desk.graphql exactly: names, types, arguments, nullability, its descriptions', () => {
    const desk = buildSchema(
      [...CONTRACT_FILES, ...PARTLY_BUILT_FILES].map((f) => read('schema', f)).join('\n'),
    );
    const fieldAt = (schema: GraphQLSchema, coordinate: string) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const t = schema.getType(type);
      return isObjectType(t) ? t.getFields()[field] : undefined;
    };
    const shapes = (schema: GraphQLSchema) => ({
      types: DESK_BUILT.types.map((name) => typeShape(schema.getType(name))),
      fields: DESK_BUILT.fields.map((c) => ({ [c]: fieldShape(fieldAt(schema, c)) })),
    });
    expect(shapes(served)).toEqual(shapes(desk));
    // Where the contract describes something, the schema says the same, and may add to it
    // after it (a list's maximum, as every bounded list of the schema states).
    const described = [
      ...DESK_BUILT.types.flatMap((name) => descriptionsOf(desk.getType(name), name)),
      ...DESK_BUILT.fields.flatMap((c) => fieldDescriptions(fieldAt(desk, c), c)),
    ];
    expect(described.length).toBeGreaterThan(5);
    for (const [path, text] of described) {
      const said = descriptionAt(served, path) ?? '';
      expect({ path, text: said.startsWith(text) ? text : said }).toEqual({ path, text });
    }
  });

  it('is what the code produces: schema/schema.graphql is up to date', () => {
    const produced = execFileSync(
      process.execPath,
      [path.join(ROOT, 'dist', 'src', 'cli.js'), 'emit-schema', '--stdout'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    expect(read('schema', 'schema.graphql')).toBe(produced);
  });

  it('describes every type, field, argument and enum value for frontend developers', () => {
    const missing: string[] = [];
    for (const type of Object.values(served.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const v of type.getValues())
          if (!v.description) missing.push(`${type.name}.${v.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---------------------------------------------------------------- contract parts, compared

type AnyField = GraphQLField<unknown, unknown> | GraphQLInputField;

/** A field as a client depends on it: its type (nullability included) and its arguments. */
function fieldShape(field: AnyField | undefined) {
  if (!field) return 'missing';
  return {
    type: String(field.type),
    args:
      'args' in field
        ? field.args.map((a) => ({ name: a.name, type: String(a.type), default: a.defaultValue }))
        : [],
  };
}

/** A type as a client depends on it: its kind, its fields or its values, nothing more or less. */
function typeShape(type: GraphQLNamedType | undefined) {
  if (!type) return 'missing';
  if (isEnumType(type)) {
    return {
      [type.name]: {
        values: type
          .getValues()
          .map((v) => v.name)
          .sort(),
      },
    };
  }
  if (isObjectType(type) || isInputObjectType(type)) {
    const fields = Object.values(type.getFields() as Record<string, AnyField>);
    return {
      [type.name]: {
        kind: isObjectType(type) ? 'type' : 'input',
        fields: Object.fromEntries(
          fields.sort((a, b) => a.name.localeCompare(b.name)).map((f) => [f.name, fieldShape(f)]),
        ),
      },
    };
  }
  return { [type.name]: 'another kind' };
}

/** The descriptions a contract gives, as [path, text]: `Type`, `Type.field`, `Type.field(arg)`, `Enum.VALUE`. */
function descriptionsOf(type: GraphQLNamedType | undefined, name: string): [string, string][] {
  if (!type) return [];
  const out: [string, string][] = type.description ? [[name, type.description]] : [];
  if (isEnumType(type)) {
    for (const v of type.getValues())
      if (v.description) out.push([`${name}.${v.name}`, v.description]);
  }
  if (isObjectType(type) || isInputObjectType(type)) {
    for (const f of Object.values(type.getFields() as Record<string, AnyField>))
      out.push(...fieldDescriptions(f, `${name}.${f.name}`));
  }
  return out;
}

function fieldDescriptions(field: AnyField | undefined, path: string): [string, string][] {
  if (!field) return [];
  const out: [string, string][] = field.description ? [[path, field.description]] : [];
  for (const a of 'args' in field ? field.args : [])
    if (a.description) out.push([`${path}(${a.name})`, a.description]);
  return out;
}

function descriptionAt(schema: GraphQLSchema, path: string): string | null | undefined {
  const [, typeName, member, arg] = /^(\w+)(?:\.(\w+))?(?:\((\w+)\))?$/.exec(path) ?? [];
  const type = schema.getType(typeName ?? '');
  if (!type || !member) return type?.description;
  if (isEnumType(type)) return type.getValue(member)?.description;
  if (!isObjectType(type) && !isInputObjectType(type)) return undefined;
  const field = (type.getFields() as Record<string, AnyField>)[member];
  if (!arg) return field?.description;
  return field && 'args' in field ? field.args.find((a) => a.name === arg)?.description : undefined;
}
