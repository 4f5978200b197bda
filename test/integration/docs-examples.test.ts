import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  buildSchema,
  isEnumType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { fillPlaceholders } from '../../src/dev/examples';
import { DEMO_IDS, demoCallId } from '../../src/dev/demo-data';
import { DEV_JWT_SECRET } from '../../src/platform/config';
import { ErrorCode } from '../../src/platform/errors';
import { NOTIFICATION_KINDS } from '../../src/notifications/notification.entity';
import { Client, type GqlResponse } from '../support/client';
import {
  codeSpans,
  docBlocks,
  integratorDocs,
  MarkedFiles,
  run,
  scratchDir,
  tableHeaded,
  tsc,
  where,
  type DocBlock,
} from '../support/doc-blocks';
import { closeDb, createWorld, insertCall, type World } from '../support/seed';
import { readTestEnv, ROOT, TEST_JWT_SECRET } from '../support/services';

/*
 * The docs cannot drift from the API. What README.md and docs/*.md show is run here against
 * the suite's server, the way examples/operations is (playground-examples.test.ts):
 *
 * - Every ```graphql block is validated against schema/schema.graphql and run, as a buyer with
 *   DISPUTE_CALLS unless the line before it says otherwise in an HTML comment, which readers do
 *   not see: `<!-- doc-test: run as manager -->`, `<!-- doc-test: run as buyer with {"id":
 *   "{{pendingDisputeId}}"} -->` (placeholders as in examples/operations/variables.json), or
 *   `<!-- doc-test: validate only -->` (subscriptions must say so). It must answer without
 *   errors, every root field non-null.
 * - GraphQL inside other blocks (curl bodies, strings of JS snippets) is validated.
 * - Blocks marked `<!-- doc-test: file NAME -->` are saved as files and run by a recipe test
 *   below: the token recipe, the codegen recipe, the webhook receiver and its payload.
 * - The values the docs enumerate (notification kinds, what disputeChanged announces, webhook
 *   event types, error codes, demo ids, the development secret) are compared with the schema,
 *   the code and what the server does. The HTTP status of each error code is checked in
 *   docs-errors.test.ts.
 */

const DOCS = integratorDocs();
const SCHEMA_SDL = fs.readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8');
const schema: GraphQLSchema = buildSchema(SCHEMA_SDL);
const blocks = DOCS.flatMap(docBlocks);
const files = new MarkedFiles(DOCS);

const enumValues = (name: string): string[] => {
  const type = schema.getType(name);
  if (!isEnumType(type)) throw new Error(`${name} is not an enum of the schema`);
  return type
    .getValues()
    .map((v) => v.name)
    .sort();
};

let w: World;
let values: Record<string, string>;
beforeAll(async () => {
  w = await createWorld();
  const call = () => insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const dispute = async (callId: string) => {
    const res = await w.as.buyerA.raw<{ createDispute: { id: string } }>(
      'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }',
      { input: { callId, reason: 'INVALID_CALLER' } },
    );
    return res.data!.createDispute.id;
  };
  values = {
    disputableCallId: await call(),
    pendingDisputeId: await dispute(await call()),
  };
});
afterAll(async () => {
  // What the blocks registered: the account's endpoints would otherwise be sent its events.
  const res = await w.as.buyerA.raw<{ webhookEndpoints: { id: string }[] }>(
    '{ webhookEndpoints { id } }',
  );
  for (const { id } of res.data?.webhookEndpoints ?? []) {
    await w.as.buyerA.raw('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id });
  }
  await closeDb();
});

// ---------------------------------------------------------------- GraphQL in the docs

const graphqlBlocks = blocks.filter((b) => b.lang === 'graphql');

interface RunMark {
  run: boolean;
  role: 'buyer' | 'manager';
  variables?: Record<string, unknown>;
}

function runMark(b: DocBlock): RunMark {
  if (b.mark === undefined) return { run: true, role: 'buyer' };
  if (b.mark === 'validate only') return { run: false, role: 'buyer' };
  const m = /^run as (buyer|manager)(?: with (\{.*\}))?$/.exec(b.mark);
  if (!m) throw new Error(`${where(b)}: unknown mark "doc-test: ${b.mark}"`);
  return {
    run: true,
    role: m[1] as RunMark['role'],
    variables: m[2] ? (JSON.parse(m[2]) as Record<string, unknown>) : undefined,
  };
}

const operationOf = (doc: DocumentNode) =>
  doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

test('the docs hold GraphQL blocks to run', () => {
  expect(graphqlBlocks.length).toBeGreaterThanOrEqual(2);
});

describe.each(graphqlBlocks.map((b) => [where(b), b] as const))('%s', (_where, b) => {
  test('is valid against the schema', () => {
    expect(validate(schema, parse(b.code)).map((e) => e.message)).toEqual([]);
  });

  test('answers without errors', async () => {
    const mark = runMark(b);
    if (!mark.run) return;
    const op = operationOf(parse(b.code));
    expect({ block: where(b), operation: op?.operation }).not.toEqual({
      block: where(b),
      operation: 'subscription',
    });
    const client = mark.role === 'buyer' ? w.as.buyerA : w.as.editManager;
    const res = await client.raw<Record<string, unknown>>(
      b.code,
      mark.variables && fillPlaceholders(mark.variables, values),
    );
    expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
    for (const [field, value] of Object.entries(res.data!)) {
      expect({ field, value }).not.toEqual({ field, value: null });
    }
  });
});

/** GraphQL in string literals of the other blocks: curl bodies, JS and TS snippets. */
function embeddedDocuments(b: DocBlock): string[] {
  const found: string[] = [];
  for (const m of b.code.matchAll(/`([^`]*)`|'([^'\n]*)'|"((?:[^"\\\n]|\\.)*)"/g)) {
    const text = m[1] ?? m[2] ?? m[3] ?? '';
    if (/^\s*(query|mutation|subscription)\b[\s\w$(]*[({]|^\s*\{\s*[_A-Za-z]/.test(text)) {
      found.push(text);
    }
  }
  return found;
}

const embedded = blocks
  .filter((b) => ['sh', 'js', 'ts'].includes(b.lang))
  .flatMap((b) => embeddedDocuments(b).map((text) => [where(b), text] as const));

test('the docs embed GraphQL in their snippets', () => {
  expect(embedded.length).toBeGreaterThanOrEqual(4);
});

test.each(embedded)('%s embeds valid GraphQL: %s', (_where, text) => {
  expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
});

// ---------------------------------------------------------------- what the docs enumerate

describe('the values the docs list are the schema’s and the code’s', () => {
  const permissions = new Set(enumValues('Permission'));
  /** The DISPUTE_… words of a text that are not permissions: notification kinds. */
  const kindsIn = (text: string) =>
    [...new Set([...text.matchAll(/\bDISPUTE_[A-Z_]+\b/g)].map((m) => m[0]))]
      .filter((k) => !permissions.has(k))
      .sort();

  test('notification kinds: the table of docs/integrating.md', () => {
    const table = tableHeaded('docs/integrating.md', 'kind', 'sent to', 'when');
    const listed = table.rows.map((r) => codeSpans(r[0]!)[0]).sort();
    expect(listed).toEqual(enumValues('NotificationKind'));
    expect(listed).toEqual([...NOTIFICATION_KINDS].sort());
  });

  test('notification kinds: what notificationAdded sends, in docs/live-updates.md', () => {
    const table = tableHeaded('docs/live-updates.md', 'subscription', 'sends', 'to whom');
    const row = table.rows.find((r) => r[0] === '`notificationAdded`');
    expect(kindsIn(row!.join(' '))).toEqual(enumValues('NotificationKind'));
  });

  test('what disputeChanged announces: each change of a dispute’s history', () => {
    // Every change of a dispute is one history event (transition()), announced by disputeChanged.
    const changes = enumValues('DisputeEventType').map((v) => v.toLowerCase());
    const rows = [
      tableHeaded('docs/live-updates.md', 'subscription', 'sends', 'to whom').rows,
      tableHeaded('docs/integrating.md', 'operation', 'example', 'who', 'notes').rows,
    ].map((rows) => rows.find((r) => r[0] === '`disputeChanged`')!.join(' '));
    for (const row of rows) {
      const said = changes.filter((c) => new RegExp(`\\b${c}\\b`).test(row));
      expect({ row, said }).toEqual({ row, said: changes });
    }
  });

  test('webhook event types: the table of docs/webhooks.md', () => {
    const table = tableHeaded('docs/webhooks.md', '`type` (`Disputes-Event-Type`)');
    const graphqlNames = table.rows.map((r) => codeSpans(r[1]!)[0]).sort();
    expect(graphqlNames).toEqual(enumValues('WebhookEventType'));
    // Each name as the schema describes it ("`dispute.created`: …"); the wire names are also
    // compared with real deliveries in the receiver test below.
    for (const row of table.rows) {
      const [wire, name] = [codeSpans(row[0]!)[0]!, codeSpans(row[1]!)[0]!];
      const type = schema.getType('WebhookEventType');
      const value = isEnumType(type) ? type.getValue(name) : undefined;
      expect(value?.description).toMatch(new RegExp(`^\`${wire.replace('.', '\\.')}\``));
    }
  });

  test('error codes: the table of docs/integrating.md and the list of README.md', () => {
    const codes = Object.values(ErrorCode).sort();
    const table = tableHeaded('docs/integrating.md', 'code', 'HTTP');
    expect(table.rows.map((r) => codeSpans(r[0]!)[0]).sort()).toEqual(codes);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const list = /Every error carries `extensions.code` from the contract's list \(([^)]*)\)/.exec(
      readme,
    );
    expect(codeSpans(list![1]!).sort()).toEqual(codes);
  });

  test('the demo users README.md shows are the demo data’s', () => {
    const readme = docBlocks('README.md').find((b) => b.code.includes('Demo users;'));
    const users = [...readme!.code.matchAll(/^ {2}(\w+) [^(]*\([^)]*\)\s+id (\S+)$/gm)];
    expect(users.length).toBeGreaterThanOrEqual(2);
    for (const [, first, id] of users) {
      const key = first!.toLowerCase() as keyof typeof DEMO_IDS.users;
      expect({ user: first, id }).toEqual({ user: first, id: DEMO_IDS.users[key] });
    }
  });

  test('every demo id the docs name exists in the demo data', () => {
    const known = new Set<string>([
      ...Object.values(DEMO_IDS.users),
      ...Object.values(DEMO_IDS.accounts),
      ...Object.values(DEMO_IDS.campaigns),
      ...Array.from({ length: 300 }, (_, i) => demoCallId(i + 1)),
    ]);
    for (const doc of DOCS) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      for (const [id] of text.matchAll(/\b[0-9a-f]{8}-0000-4000-8000-\d{12}\b/g)) {
        expect({ doc, id, known: known.has(id) }).toEqual({ doc, id, known: true });
      }
    }
  });

  test('the development JWT_SECRET the docs name is the configuration’s', () => {
    for (const doc of ['README.md', 'docs/integrating.md']) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      expect({ doc, named: text.includes(`\`${DEV_JWT_SECRET}\``) }).toEqual({ doc, named: true });
    }
  });
});

// ---------------------------------------------------------------- the recipes

const apiUrl = () => readTestEnv().apiUrl;

test('the token recipe mints a token the API accepts, with the API’s secret only', async () => {
  const dir = scratchDir('token');
  fs.writeFileSync(path.join(dir, 'mint-token.mjs'), files.take('mint-token.mjs').code);
  const mint = (secret: string) =>
    run(process.execPath, ['mint-token.mjs', w.ids.buyerA], {
      cwd: dir,
      env: { JWT_SECRET: secret },
    });
  const minted = await mint(TEST_JWT_SECRET);
  expect({ code: minted.code, stderr: minted.stderr }).toEqual({ code: 0, stderr: '' });
  const token = minted.stdout.trim();
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as object;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
    exp: number;
  };
  expect(header).toMatchObject({ alg: 'HS256' });
  expect(claims.sub).toBe(w.ids.buyerA);
  expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  const res = await new Client(token).raw<{ viewer: { id: string } }>('{ viewer { id } }');
  expect(res.data?.viewer.id).toBe(w.ids.buyerA);

  const foreign = await mint('a-secret-that-is-not-the-apis');
  const refused = await new Client(foreign.stdout.trim()).raw('{ viewer { id } }');
  expect({ status: refused.status, code: refused.errors?.[0]?.extensions?.code }).toEqual({
    status: 401,
    code: 'UNAUTHENTICATED',
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the codegen recipe types an app’s operation from the running server', async () => {
  // The packages the recipe installs are real ones, the ones this repository uses.
  const install = files.take('install.sh').code;
  const packages = [...install.matchAll(/^npm install (.*)$/gm)].flatMap((m) =>
    m[1]!.split(/\s+/).filter((p) => !p.startsWith('-')),
  );
  expect(packages).toEqual(
    expect.arrayContaining(['graphql', '@graphql-codegen/cli', '@graphql-codegen/client-preset']),
  );
  for (const p of packages) {
    expect({
      p,
      installed: fs.existsSync(path.join(ROOT, 'node_modules', p, 'package.json')),
    }).toEqual({ p, installed: true });
  }

  const app = scratchDir('codegen');
  const config = files.take('codegen.yml').code;
  const DEV_URL = 'http://localhost:4000/graphql';
  expect(config).toContain(`schema: ${DEV_URL}`);
  // The development server of the recipe is the suite's: introspection without a token.
  fs.writeFileSync(path.join(app, 'codegen.yml'), config.replace(DEV_URL, apiUrl()));
  fs.mkdirSync(path.join(app, 'src'));
  fs.writeFileSync(path.join(app, 'src', 'call-log.ts'), files.take('src/call-log.ts').code);
  const codegenBin = path.join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');
  const generated = await run(process.execPath, [codegenBin, '--config', 'codegen.yml'], {
    cwd: app,
    timeoutMs: 120_000,
  });
  expect({
    code: generated.code,
    out: generated.code ? generated.stdout + generated.stderr : '',
  }).toEqual({ code: 0, out: '' });
  const types = fs.readFileSync(path.join(app, 'src', 'gql', 'graphql.ts'), 'utf8');
  // DateTime and Decimal are strings (unmapped, codegen would type them `unknown`).
  expect(types).toMatch(/startedAt: string\b/);
  expect(types).toMatch(/amount: string\b/);

  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        rootDir: 'src',
        outDir: 'out',
      },
      include: ['src'],
    }),
  );
  await tsc(path.join(app, 'tsconfig.json'), app);
  const called = await run(
    process.execPath,
    [
      '-e',
      `require('./out/call-log.js').callLogPage(process.env.API, process.env.TOKEN)
         .then((r) => console.log(JSON.stringify(r)))`,
    ],
    { cwd: app, env: { API: apiUrl(), TOKEN: w.as.buyerA.token! } },
  );
  expect({ code: called.code, stderr: called.stderr }).toEqual({ code: 0, stderr: '' });
  const page = JSON.parse(called.stdout) as { nodes: { id: string }[]; amounts: string[] };
  expect(page.nodes.map((n) => n.id)).toContain(values.disputableCallId);
  expect(page.amounts).toContain('25.00');
  fs.rmSync(app, { recursive: true, force: true });
}, 180_000);

describe('the webhook receiver of docs/webhooks.md', () => {
  interface Event {
    id: string;
    type: string;
    createdAt: string;
    data: { dispute: { id: string; buyerId: string }; comment: unknown };
  }

  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });

  /** The shape of a JSON value: its keys, recursively, and each leaf's type. */
  const shapeOf = (v: unknown): unknown =>
    v === null
      ? 'null'
      : Array.isArray(v)
        ? v.map(shapeOf)
        : typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v as object)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, x]) => [k, shapeOf(x)]),
            )
          : typeof v;

  test('verifies and prints real deliveries of every event type, as the page says', async () => {
    const dir = scratchDir('receiver');
    fs.copyFileSync(
      path.join(ROOT, 'examples', 'webhook-receiver', 'verify.js'),
      path.join(dir, 'verify.js'),
    );
    fs.writeFileSync(path.join(dir, 'receiver.js'), files.take('receiver.js').code);
    const documented = JSON.parse(files.take('payload.json').code) as Event;

    // An http://127.0.0.1 receiver is accepted outside production (the suite's server is).
    const port = await freePort();
    const created = await w.as.buyerA.raw<{
      createWebhookEndpoint: { endpoint: { id: string }; secret: string };
    }>(
      `mutation($url: String!) { createWebhookEndpoint(input: { url: $url,
         events: [DISPUTE_CREATED, DISPUTE_RESOLVED, DISPUTE_WITHDRAWN, DISPUTE_COMMENTED,
           DISPUTE_REOPENED] })
         { endpoint { id } secret } }`,
      { url: `http://127.0.0.1:${port}/` },
    );
    expect(created.errors).toBeUndefined();
    const { endpoint, secret } = created.data!.createWebhookEndpoint;

    const child = spawn(process.execPath, ['receiver.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), DISPUTES_WEBHOOK_SECRET: secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const events = () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Event);
    const until = async (what: string, check: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 20_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`no ${what}; the receiver printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until('listening line', () => out.includes(`listening on http://127.0.0.1:${port}/`));
      // A request without a valid signature is turned away.
      const forged = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'disputes-signature': `t=${Math.floor(Date.now() / 1000)},v1=00` },
        body: '{}',
      });
      expect(forged.status).toBe(400);

      // Each event type: one dispute decided and reopened, another commented on and withdrawn.
      const mutate = async (as: Client, query: string, variables: Record<string, unknown>) => {
        const res: GqlResponse<Record<string, { id: string }>> = await as.raw(query, variables);
        expect(res.errors).toBeUndefined();
        return Object.values(res.data!)[0]!.id;
      };
      const dispute = async () =>
        mutate(
          w.as.buyerA,
          'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }',
          {
            input: {
              callId: await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign }),
              reason: 'INVALID_CALLER',
            },
          },
        );
      const decided = await dispute();
      await mutate(
        w.as.editManager,
        'mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }',
        {
          input: {
            disputeId: decided,
            outcome: 'ACCEPTED_PARTIAL',
            adjustmentAmount: '5.00',
            comment: 'Checked the recording.',
          },
        },
      );
      await mutate(
        w.as.editManager,
        'mutation($input: ReopenDisputeInput!) { reopenDispute(input: $input) { id } }',
        { input: { disputeId: decided, reason: 'The recording says otherwise.' } },
      );
      const withdrawn = await dispute();
      await mutate(
        w.as.buyerA,
        'mutation($input: AddDisputeCommentInput!) { addDisputeComment(input: $input) { id } }',
        { input: { disputeId: withdrawn, body: 'The caller asked for another company.' } },
      );
      await mutate(w.as.buyerA, 'mutation($id: ID!) { withdrawDispute(disputeId: $id) { id } }', {
        id: withdrawn,
      });
      await until('six events', () => events().length >= 6);

      // The documented body is a real one's shape (a dispute.resolved), key for key.
      const resolved = events().find((e) => e.type === 'dispute.resolved')!;
      expect(shapeOf(resolved)).toEqual(shapeOf(documented));
      expect(documented.type).toBe('dispute.resolved');
      // buyerId is the buyer account's id, not the id of the user who sent the dispute.
      expect(resolved.data.dispute.buyerId).toBe(w.ids.accountA);

      // The wire names and their GraphQL names, as the page's table pairs them. The receiver
      // prints an event before its 204 reaches the worker, so the log is read until the worker
      // has recorded every answer.
      type Delivery = {
        id: string;
        eventId: string;
        eventType: string;
        status: string;
        lastResponseStatus: number;
      };
      let deliveries: Delivery[] = [];
      await until('every answer recorded', async () => {
        const log = await w.as.buyerA.raw<{
          webhookEndpoint: { deliveries: { nodes: Delivery[] } };
        }>(
          `query($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 10) {
             nodes { id eventId eventType status lastResponseStatus } } } }`,
          { id: endpoint.id },
        );
        deliveries = log.data!.webhookEndpoint.deliveries.nodes;
        return !deliveries.some((d) => d.status === 'PENDING');
      });
      expect(deliveries).toHaveLength(6);
      for (const d of deliveries) {
        expect(d).toMatchObject({ status: 'SUCCEEDED', lastResponseStatus: 204 });
        expect(d.id).toEqual(expect.any(String));
      }
      const seen = new Map(events().map((e) => [e.id, e.type]));
      const pairs = [...new Set(deliveries.map((d) => `${seen.get(d.eventId)} ${d.eventType}`))];
      const table = tableHeaded('docs/webhooks.md', '`type` (`Disputes-Event-Type`)');
      const documentedPairs = table.rows.map(
        (r) => `${codeSpans(r[0]!)[0]} ${codeSpans(r[1]!)[0]}`,
      );
      expect(pairs.sort()).toEqual(documentedPairs.sort());
    } finally {
      child.kill();
      await w.as.buyerA.raw('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', {
        id: endpoint.id,
      });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

test('every block marked as a file is run by a test above', () => {
  expect(files.untaken()).toEqual([]);
});
