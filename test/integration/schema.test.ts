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
  isTypeDefinitionNode,
  isTypeExtensionNode,
  parse,
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
  'contract-desk.graphql',
] as const;

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
  (HAVE_SHARED ? it.each(CONTRACT_FILES) : it.skip.each(CONTRACT_FILES))(
    'keeps its copy of %s equal to the one in ../shared/contract',
    (file) => {
      expect(read('schema', file)).toBe(fs.readFileSync(path.join(SHARED_CONTRACT, file), 'utf8'));
    },
  );

  it('holds contract-desk.graphql exactly: its types whole, what it adds to others, nullability, arguments, its descriptions', () => {
    const contract = buildSchema(CONTRACT_FILES.map((f) => read('schema', f)).join('\n'));
    const wanted: Record<string, unknown> = {};
    const found: Record<string, unknown> = {};
    const described: [string, string][] = [];
    for (const def of parse(read('schema', 'contract-desk.graphql')).definitions) {
      if (isTypeDefinitionNode(def)) {
        // A type of its own is taken whole: no field or value more or less.
        const name = def.name.value;
        wanted[name] = typeShape(contract.getType(name));
        found[name] = typeShape(served.getType(name));
        described.push(...descriptionsOf(contract.getType(name), name));
      } else if (isTypeExtensionNode(def)) {
        // What it adds to a type of the other files, member by member.
        const name = def.name.value;
        const [mine, theirs] = [contract.getType(name), served.getType(name)];
        const members = 'values' in def ? def.values : 'fields' in def ? def.fields : undefined;
        for (const { name: member } of members ?? []) {
          const path = `${name}.${member.value}`;
          if (isEnumType(mine)) {
            wanted[path] = 'value';
            found[path] = isEnumType(theirs) && theirs.getValue(member.value) ? 'value' : 'missing';
            const text = mine.getValue(member.value)?.description;
            if (text) described.push([path, text]);
          } else if (isObjectType(mine)) {
            const field = mine.getFields()[member.value];
            wanted[path] = fieldShape(field);
            found[path] = fieldShape(
              isObjectType(theirs) ? theirs.getFields()[member.value] : undefined,
            );
            described.push(...fieldDescriptions(field, path));
          }
        }
      }
    }
    expect(Object.keys(wanted).length).toBeGreaterThan(20);
    expect(found).toEqual(wanted);
    // Where the contract describes something, the schema says the same, and may add to it
    // after it (a list's maximum, as every bounded list of the schema states).
    expect(described.length).toBeGreaterThan(30);
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
        ? field.args
            .map((a) => ({ name: a.name, type: String(a.type), default: a.defaultValue }))
            .sort((a, b) => a.name.localeCompare(b.name))
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
