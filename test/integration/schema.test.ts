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
  (HAVE_SHARED ? it.each(CONTRACT_FILES) : it.skip.each(CONTRACT_FILES))(
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
