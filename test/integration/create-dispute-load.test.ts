import { CONTRACT_CODES } from '../support/fuzz-harness';
import {
  CreateDisputeIdDocument,
  CreateEvidenceUploadDocument,
  type CreateEvidenceUploadMutation,
} from '../generated/graphql';
import { Client, type GqlResponse } from '../support/client';
import { closeDb, count, createWorld, db, insertCall, type World } from '../support/seed';
import { readTestEnv, startApiProcess, type ApiProcess } from '../support/services';
import { startStallingStore } from '../support/stalling-store';

/** The API's pool (DB_POOL_SIZE) and the store timeout of src/evidence/minio-store.ts. */
const POOL_SIZE = 20;
const STORE_TIMEOUT_MS = 5000;
const CONCURRENT = 2 * POOL_SIZE;

/**
 * The test store behind a proxy that holds requests for the objects of the users in
 * `stalledOwners` (reads, and copies made from them) unanswered, the way a hung store does.
 */
async function startStallingProxy(target: string) {
  const stalledOwners = new Set<string>();
  const store = await startStallingStore(target, (req) => {
    const copySource = req.headers['x-amz-copy-source'];
    const path = decodeURIComponent(`${req.url ?? ''} ${String(copySource ?? '')}`);
    return [...stalledOwners].some((owner) => path.includes(`evidence/${owner}/`));
  });
  return {
    url: store.url,
    stall: (owner: string) => stalledOwners.add(owner),
    get stalledRequests() {
      return store.stalled;
    },
    close: store.close,
  };
}

type Upload = CreateEvidenceUploadMutation['createEvidenceUpload'];

async function uploadText(client: Client, text: string): Promise<string> {
  const bytes = Buffer.from(text);
  const { createEvidenceUpload: u } = (await client.run(CreateEvidenceUploadDocument, {
    input: { fileName: 'note.txt', contentType: 'text/plain', sizeBytes: bytes.length },
  })) as { createEvidenceUpload: Upload };
  const form = new FormData();
  for (const f of u.formFields) form.append(f.name, f.value);
  form.append('file', new Blob([bytes], { type: 'text/plain' }), 'note.txt');
  const res = await fetch(u.uploadUrl, { method: 'POST', body: form });
  expect(res.status).toBeLessThan(300);
  return u.evidenceId;
}

let w: World;
let api: ApiProcess;
let proxy: Awaited<ReturnType<typeof startStallingProxy>>;
beforeAll(async () => {
  w = await createWorld();
  const env = readTestEnv();
  proxy = await startStallingProxy(env.s3.endpoint);
  api = await startApiProcess({
    DATABASE_URL: env.databaseUrl,
    S3_ENDPOINT: proxy.url,
    S3_ACCESS_KEY: env.s3.accessKey,
    S3_SECRET_KEY: env.s3.secretKey,
    S3_BUCKET: env.s3.bucket,
    S3_REGION: env.s3.region,
    DB_POOL_SIZE: String(POOL_SIZE),
  });
});
afterAll(async () => {
  await api?.stop();
  await proxy?.close();
  await closeDb();
});

describe(`${CONCURRENT} createDispute calls with evidence at once, half of them on a stalled store`, () => {
  it('answers each within the timeouts, creates the checkable ones, refuses the rest with a contract code, and keeps reads answering', async () => {
    // buyerA's files answer; buyerA2's hang in the store.
    const sides = [
      { userId: w.ids.buyerA, stalled: false },
      { userId: w.ids.buyerA2, stalled: true },
    ];
    const jobs: { client: Client; callId: string; evidenceId: string; stalled: boolean }[] = [];
    for (const side of sides) {
      const client = await Client.forUser(side.userId, api.url);
      const made = await Promise.all(
        Array.from({ length: CONCURRENT / 2 }, async (_, i) => ({
          client,
          stalled: side.stalled,
          callId: await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign }),
          evidenceId: await uploadText(client, `Evidence note ${i} of ${side.userId}\n`),
        })),
      );
      jobs.push(...made);
    }
    proxy.stall(w.ids.buyerA2);

    // Reads from another account, back to back, while the disputes are being created.
    const reader = await Client.forUser(w.ids.buyerB, api.url);
    const reads: { ms: number; ok: boolean }[] = [];
    let creating = true;
    const reading = (async () => {
      while (creating) {
        const started = Date.now();
        const res: GqlResponse<{ viewer: { name: string } | null }> = await reader.raw(
          '{ viewer { name pendingDisputesCount } calls(first: 5) { nodes { id } } }',
        );
        reads.push({ ms: Date.now() - started, ok: !res.errors && res.data?.viewer != null });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const started = Date.now();
    const results = await Promise.all(
      jobs.map(async (job) => {
        const res = await job.client.raw(CreateDisputeIdDocument, {
          input: { callId: job.callId, reason: 'OTHER', evidenceIds: [job.evidenceId] },
        });
        return { ...job, res, ms: Date.now() - started };
      }),
    );
    const wallMs = Date.now() - started;
    creating = false;
    await reading;

    const slowest = Math.max(...results.map((r) => r.ms));
    const readMs = reads.map((r) => r.ms).sort((a, b) => a - b);
    // What the run measured, for the record.
    console.log(
      JSON.stringify({
        concurrent: CONCURRENT,
        wallMs,
        slowestCreateMs: slowest,
        slowestCheckableMs: Math.max(...results.filter((r) => !r.stalled).map((r) => r.ms)),
        reads: reads.length,
        readMedianMs: readMs[Math.floor(readMs.length / 2)],
        readMaxMs: readMs[readMs.length - 1],
        stalledStoreRequests: proxy.stalledRequests,
      }),
    );

    // Every dispute answered within the store timeout plus a margin for the shared machine.
    expect(slowest).toBeLessThan(STORE_TIMEOUT_MS + 5000);
    for (const r of results) {
      const code = r.res.errors?.[0]?.extensions?.code;
      if (r.stalled) {
        expect(code).toBe('INTERNAL_SERVER_ERROR');
        expect(r.res.errors?.[0]?.message).toMatch(/cannot be checked right now/);
      } else {
        expect(r.res.errors).toBeUndefined();
        expect(r.res.data?.createDispute.status).toBe('PENDING');
      }
      expect(code === undefined || CONTRACT_CODES.has(code)).toBe(true);
    }
    // The stall happened, and a refused dispute wrote nothing.
    expect(proxy.stalledRequests).toBeGreaterThanOrEqual(CONCURRENT / 2);
    const stalledCalls = results.filter((r) => r.stalled).map((r) => r.callId);
    expect(await count('disputes', 'call_id = ANY($1::uuid[])', [stalledCalls])).toBe(0);
    const unbound = await db().query<{ n: number }>(
      'SELECT count(*)::int AS n FROM evidence WHERE id = ANY($1::uuid[]) AND dispute_id IS NULL',
      [results.filter((r) => r.stalled).map((r) => r.evidenceId)],
    );
    expect(unbound.rows[0]!.n).toBe(CONCURRENT / 2);

    // Reads kept answering throughout, quickly: nothing waited on the store or the pool.
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expect(reads.every((r) => r.ok)).toBe(true);
    expect(readMs[readMs.length - 1]).toBeLessThan(2500);
  });
});
