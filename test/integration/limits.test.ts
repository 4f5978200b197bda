import { CallPageDocument, DisputesPageDocument } from '../generated/graphql';
import type { GqlResponse } from '../support/client';
import { closeDb, createWorld, insertCall, insertDispute, type World } from '../support/seed';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

/** The fastest of three tries, each answered the same way: what a warmed-up server does. */
async function fastest(send: () => Promise<GqlResponse<unknown>>) {
  let best = Infinity;
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const res = await send();
    best = Math.min(best, performance.now() - t);
    codes.push(res.errors?.[0]?.extensions?.code);
  }
  return { ms: best, codes };
}

describe('documents that used to stop or exhaust the process', () => {
  it('a chain of fragments each spreading the previous twice (2^30 fields) is refused in under 100 ms', async () => {
    let doc = 'fragment F0 on Viewer { id name }\n';
    for (let i = 1; i <= 30; i++) doc += `fragment F${i} on Viewer { ...F${i - 1} ...F${i - 1} }\n`;
    doc += '{ viewer { ...F30 } }';
    const run = await fastest(() => w.as.buyerA.raw(doc));
    expect(run.codes).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']);
    expect(run.ms).toBeLessThan(100);
    // The process is still responsive.
    expect((await w.as.buyerA.raw('{ viewer { id } }')).data).toEqual({
      viewer: { id: w.ids.buyerA },
    });
  });

  it('lists without `first` nested under a page, under aliases, are counted and refused', async () => {
    const nested = `calls(first: 100) { nodes { disputes { history { id type at actor { name } } call { disputes { history { id type at actor { name } } } } } } }`;
    const doc = `{ ${Array.from({ length: 10 }, (_, i) => `c${i}: ${nested}`).join(' ')} }`;
    const run = await fastest(() => w.as.buyerA.raw(doc));
    expect(run.codes).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']);
    expect(run.ms).toBeLessThan(100);
    // One of them alone is still far over: every list is sized.
    const one = await w.as.buyerA.raw(`{ ${nested} }`);
    expect(one.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(one.errors?.[0]?.message).toMatch(/cost/);
  });

  it('a document of more than 5,000 tokens is refused quickly', async () => {
    const doc = `{ viewer { ${Array.from({ length: 6_000 }, () => 'id').join(' ')} } }`;
    const run = await fastest(() => w.as.buyerA.raw(doc));
    // The parser counts tokens (parseOptions) and stops at the limit.
    for (const code of run.codes) expect(code).toBe('BAD_USER_INPUT');
    expect(run.ms).toBeLessThan(100);
  });

  it('one field selected over and over in one selection set is refused', async () => {
    // 500 × 9 tokens: under the token limit, so the repeat limit is what refuses it.
    const doc = `{ ${Array.from({ length: 500 }, (_, i) => `calls(first: ${(i % 100) + 1}) { totalCount }`).join(' ')} }`;
    const res = await w.as.buyerA.raw(doc);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/500 times/);
  });
});

describe('ordinary pages still pass', () => {
  it('a Call Log page of 100 and a disputes page of 100', async () => {
    const calls = await w.as.buyerA.raw(CallPageDocument, { first: 100 });
    expect(calls.errors).toBeUndefined();
    const disputes = await w.as.buyerA.raw(DisputesPageDocument, { first: 100 });
    expect(disputes.errors).toBeUndefined();
  });

  it('a page of 50 calls with their disputes; a page of 50 disputes with history and evidence', async () => {
    const calls = await w.as.buyerA.raw(
      `{ calls(first: 50) { nodes { id disputes { id status reason createdAt } } } }`,
    );
    expect(calls.errors).toBeUndefined();
    const disputes = await w.as.buyerA.raw(
      `{ disputes(first: 50) { nodes { id history { type at actor { name } } evidence { id fileName } } } }`,
    );
    expect(disputes.errors).toBeUndefined();
  });
});

describe('capped lists', () => {
  it('Call.disputes answers the 50 most recent disputes of a call', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      ids.push(await insertDispute({ callId, createdBy: w.ids.buyerA, status: 'REJECTED' }));
    }
    const res = await w.as.buyerA.raw<{ call: { disputes: { id: string }[] } }>(
      `query($id: ID!) { call(id: $id) { disputes { id } } }`,
      { id: callId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.call.disputes).toHaveLength(50);
    expect(new Set(res.data!.call.disputes.map((d) => d.id)).size).toBe(50);
    for (const d of res.data!.call.disputes) expect(ids).toContain(d.id);
  });
});
