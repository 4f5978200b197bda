import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError, type DataSource } from 'typeorm';
import { Client } from '../support/client';
import { LiveClient } from '../support/live';
import { closeDb, createWorld, db, insertCall, type World } from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess, storeEnv } from '../support/services';
import { createLogger } from '../../src/platform/logger';
import { openDatabase } from '../../src/app/database';
import { makeErrorFormatter } from '../../src/platform/errors';

// Markers: each is unique to this file, so finding one in a log line is a leak.
const RUN = randomUUID().slice(0, 8);
const COMMENT = `comment-marker-${RUN}`;
const INFO = `info-marker-${RUN}`;
const KEY = `idempotency-marker-${RUN}`;
const SEARCH = `search-marker-${RUN}`;
const FILE = `file-marker-${RUN}`;
const BAD_TOKEN = `not.a-token.bearer-marker-${RUN}`;
/** Makes one INSERT fail inside PostgreSQL: a CHECK added for this file only refuses it. */
const FORCE = `force-failure-${RUN}`;
const CONSTRAINT = `log_privacy_${RUN.replace(/-/g, '')}`;
const PHONE_DIGITS = `555${String(Date.now()).slice(-7)}`;
const PHONE = `+1${PHONE_DIGITS}`;

let w: World;
let api: ApiProcess;
let as: { buyer: Client; manager: Client };
let buyerToken: string;

beforeAll(async () => {
  w = await createWorld();
  const env = readTestEnv();
  await db().query(
    `ALTER TABLE disputes ADD CONSTRAINT ${CONSTRAINT}
       CHECK (additional_info IS NULL OR strpos(additional_info, '${FORCE}') = 0) NOT VALID`,
  );
  api = await startApiProcess({
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
    LOG_LEVEL: 'debug',
  });
  as = {
    buyer: await Client.forUser(w.ids.buyerA, api.url),
    manager: await Client.forUser(w.ids.editManager, api.url),
  };
  buyerToken = as.buyer.token!;
});

afterAll(async () => {
  await api?.stop();
  await db().query(`ALTER TABLE disputes DROP CONSTRAINT IF EXISTS ${CONSTRAINT}`);
  await closeDb();
});

const CREATE = `mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }`;

/** Everything a log line must never hold, with the reason, once the operations below ran. */
function secrets(): [string, string][] {
  return [
    ['the bearer token', buyerToken],
    ["the token's signature", buyerToken.split('.')[2]!],
    ['a refused token', BAD_TOKEN],
    ['a signed URL', 'X-Amz-Signature'],
    ['a signed upload policy', 'X-Amz-Credential'],
    ['a phone number', PHONE_DIGITS],
    ['comment text', COMMENT],
    ['additional information', INFO],
    ['an idempotency key', KEY],
    ['a search term', SEARCH],
    ['a file name', FILE],
  ];
}

describe('logs hold no personal data, free text or credentials (LOG_LEVEL=debug)', () => {
  it('after uploads, disputes, decisions, searches, subscriptions and failures', async () => {
    // A call with a caller number and a recording, found by number and shown with a signed URL.
    const call = await insertCall({
      buyerId: w.ids.accountA,
      campaignId: w.ids.campaign,
      callerId: PHONE,
      recordingKey: `recordings/${RUN}.mp3`,
    });
    const seen = await as.buyer.raw(
      `query($id: ID!) { call(id: $id) { callerId recording { url } } }`,
      {
        id: call,
      },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data.call.callerId).toBe(PHONE);
    expect(seen.data.call.recording.url).toContain('X-Amz-Signature');

    // Evidence: a signed upload, the upload, then a signed download of the dispute's file.
    const upload = await as.buyer.raw(
      `mutation($input: CreateEvidenceUploadInput!) { createEvidenceUpload(input: $input) {
         evidenceId uploadUrl method headers { name value } formFields { name value } } }`,
      { input: { fileName: `${FILE}.txt`, contentType: 'text/plain', sizeBytes: 12 } },
    );
    expect(upload.errors).toBeUndefined();
    const u = upload.data.createEvidenceUpload as {
      evidenceId: string;
      uploadUrl: string;
      method: string;
      headers: { name: string; value: string }[];
      formFields: { name: string; value: string }[];
    };
    const bytes = Buffer.from('hello world\n');
    let sent: Response;
    if (u.method === 'PUT') {
      sent = await fetch(u.uploadUrl, {
        method: 'PUT',
        headers: Object.fromEntries(u.headers.map((h) => [h.name, h.value])),
        body: bytes,
      });
    } else {
      const form = new FormData();
      for (const f of u.formFields) form.append(f.name, f.value);
      form.append('file', new Blob([bytes], { type: 'text/plain' }), 'upload');
      sent = await fetch(u.uploadUrl, { method: 'POST', body: form });
    }
    expect(sent.status).toBeLessThan(300);

    const created = await as.buyer.raw(CREATE, {
      input: {
        callId: call,
        reason: 'INVALID_CALLER',
        additionalInfo: `${INFO} call me at ${PHONE}`,
        evidenceIds: [u.evidenceId],
        idempotencyKey: KEY,
      },
    });
    expect(created.errors).toBeUndefined();
    const disputeId = created.data.createDispute.id as string;
    const evidence = await as.buyer.raw(
      `query($id: ID!) { dispute(id: $id) { evidence { url } } }`,
      { id: disputeId },
    );
    expect(evidence.data.dispute.evidence[0].url).toContain('X-Amz-Signature');

    // Searches by phone number and by free text.
    for (const search of [PHONE_DIGITS, PHONE, SEARCH]) {
      const res = await as.manager.raw(
        `query($search: String) { disputes(search: $search, first: 5) { totalCount } }`,
        { search },
      );
      expect(res.errors).toBeUndefined();
    }

    // A subscription with the token in connectionParams, and a refused connection.
    const live = await LiveClient.forUser(w.ids.buyerA, api.url.replace(/^http/, 'ws'));
    const feed = live.subscribe('subscription { pendingDisputesCount }');
    await feed.nth(1);
    feed.stop();
    await live.close();
    await expect(
      LiveClient.connect(`Bearer ${BAD_TOKEN}`, api.url.replace(/^http/, 'ws')),
    ).rejects.toThrow();

    // A decision with a comment, then the same decision again (an expected failure).
    const resolve = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }`;
    const decided = await as.manager.raw(resolve, {
      input: { disputeId, outcome: 'REJECTED', comment: `${COMMENT} ${PHONE}` },
    });
    expect(decided.errors).toBeUndefined();
    const again = await as.manager.raw(resolve, {
      input: { disputeId, outcome: 'REJECTED', comment: COMMENT },
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('DISPUTE_ALREADY_RESOLVED');

    // Refused input: text with NUL, a bad token, a forged cursor, the key reused with other input.
    const nul = await as.buyer.raw(CREATE, {
      input: { callId: call, reason: 'INVALID_CALLER', additionalInfo: `${INFO}\u0000` },
    });
    expect(nul.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badToken = await new Client(BAD_TOKEN, api.url).raw('{ viewer { id } }');
    expect(badToken.status).toBe(401);
    const cursor = Buffer.from(JSON.stringify(['calls', PHONE, SEARCH])).toString('base64url');
    const forged = await as.buyer.raw(
      `query($after: String) { calls(after: $after) { totalCount } }`,
      {
        after: cursor,
      },
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reused = await as.buyer.raw(CREATE, {
      input: { callId: call, reason: 'OTHER', additionalInfo: INFO, idempotencyKey: KEY },
    });
    expect(reused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // A statement that fails inside PostgreSQL with client text among its parameters: the
    // CHECK added above refuses the row (an unexpected error, logged with its QueryFailedError).
    const failing = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const failed = await as.buyer.raw(CREATE, {
      input: {
        callId: failing,
        reason: 'INVALID_CALLER',
        additionalInfo: `${FORCE} ${INFO} ${COMMENT} ${PHONE}`,
      },
    });
    expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    expect(await api.stop()).toBe(0);
    const lines = api.logs
      .join('')
      .split('\n')
      .filter((l) => l.trim());
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

    // No line holds a secret ...
    const leaks = secrets()
      .map(([what, needle]) => [what, lines.filter((l) => l.includes(needle)).slice(0, 2)] as const)
      .filter(([, found]) => found.length > 0);
    expect(leaks).toEqual([]);

    // ... though the failures were logged (so the greps looked at real error lines).
    const unexpected = records.find((r) => r.msg === 'unexpected error');
    expect(unexpected).toMatchObject({
      level: 50,
      err: {
        type: 'QueryFailedError',
        code: '23514',
        constraint: CONSTRAINT,
        table: 'disputes',
        sql: { parameterCount: expect.any(Number), parameterTypes: expect.any(Array) },
      },
    });
    const sqlErrors = records.filter((r) => r.msg === 'sql error');
    expect(sqlErrors.map((r) => (r.err as { code?: string }).code)).toContain('23514');
    expect(records.filter((r) => r.msg === 'graphql operation').length).toBeGreaterThanOrEqual(12);
  });

  it('a real QueryFailedError from TypeORM is logged with its code and parameter types, never values', async () => {
    const out: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk.toString());
        done();
      },
    });
    const log = createLogger('debug', sink);
    let ds: DataSource | undefined;
    let error: unknown;
    try {
      ds = await openDatabase(readTestEnv().databaseUrl, log);
      await ds.query('SELECT $1::uuid AS id, $2::text AS note, $3::int AS n', [
        `${PHONE} ${SEARCH}`,
        COMMENT,
        3,
      ]);
    } catch (err) {
      error = err;
    } finally {
      await ds?.destroy();
    }
    expect(error).toBeInstanceOf(QueryFailedError);
    // What the error carries, and pino's standard serializer would have written.
    const standard = JSON.stringify(pino.stdSerializers.err(error as Error));
    expect(standard).toContain(PHONE_DIGITS);
    expect(standard).toContain(COMMENT);

    makeErrorFormatter(log, { exposeDetails: false })(
      { message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      error,
    );
    const records = out.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> });
    const sqlError = records.find((r) => r.msg === 'sql error');
    const unexpected = records.find((r) => r.msg === 'unexpected error');
    expect(sqlError?.err).toMatchObject({ code: '22P02', routine: expect.any(String) });
    expect(sqlError).toMatchObject({
      sql: { parameterCount: 3, parameterTypes: ['string', 'string', 'number'] },
    });
    expect(unexpected?.err).toMatchObject({
      type: 'QueryFailedError',
      code: '22P02',
      message: 'invalid input syntax for type uuid: "[redacted]"',
      sql: {
        query: 'SELECT $1::uuid AS id, $2::text AS note, $3::int AS n',
        parameterCount: 3,
        parameterTypes: ['string', 'string', 'number'],
      },
    });
    const all = out.join('');
    for (const needle of [PHONE_DIGITS, SEARCH, COMMENT]) expect(all).not.toContain(needle);
  });
});
