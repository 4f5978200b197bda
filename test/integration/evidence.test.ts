import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as MinioClient } from 'minio';
import {
  CallRecordingDocument,
  CreateDisputeDocument,
  CreateDisputeIdDocument,
  CreateEvidenceUploadDocument,
  DisputeEvidenceDocument,
  type CreateEvidenceUploadMutation,
} from '../generated/graphql';
import { Client } from '../support/client';
import { runCli } from '../support/cli';
import {
  closeDb,
  count,
  createWorld,
  db,
  HOUR,
  insertCall,
  insertDispute,
  insertUser,
  type World,
} from '../support/seed';
import { makePng } from '../support/files';
import { readTestEnv, startApiProcess, type ApiProcess } from '../support/services';
import { MinioObjectStore } from '../../src/platform/minio-object-store';

type Upload = CreateEvidenceUploadMutation['createEvidenceUpload'];

const MiB = 1024 * 1024;

// ---------------------------------------------------------------- files made here

/** A minimal PDF with the binary comment line real writers put second. */
function makePdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
      '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}

/** An ID3v2.3 tag (one TIT2 frame) and three silent MPEG-1 Layer III frames, 128 kbit/s. */
function makeMp3(): Buffer {
  const title = Buffer.concat([Buffer.from([0]), Buffer.from('Evidence', 'latin1')]);
  const frameHeader = Buffer.alloc(10);
  frameHeader.write('TIT2', 0, 'latin1');
  frameHeader.writeUInt32BE(title.length, 4);
  const body = Buffer.concat([frameHeader, title]);
  const tag = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, body.length]);
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat([tag, body, frame, frame, frame]);
}

/** The first page of an Ogg Vorbis stream, as far as its identification header. */
function makeOgg(): Buffer {
  const page = Buffer.alloc(58);
  page.write('OggS', 0, 'latin1');
  page[5] = 0x02; // beginning of stream
  page[26] = 1; // one segment
  page[27] = 30; // of 30 bytes: the identification header
  page.write('\x01vorbis', 28, 'latin1');
  return page;
}

/** A RIFF/WAVE file: 8 kHz mono 8-bit, 100 samples. */
function makeWav(): Buffer {
  const data = Buffer.alloc(100, 0x80);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0);
  fmt.writeUInt16LE(1, 2);
  fmt.writeUInt32LE(8000, 4);
  fmt.writeUInt32LE(8000, 8);
  fmt.writeUInt16LE(1, 12);
  fmt.writeUInt16LE(8, 14);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + 8 + 16 + 8 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  const chunk = (id: string, size: number) => {
    const b = Buffer.alloc(8);
    b.write(id, 0, 'latin1');
    b.writeUInt32LE(size, 4);
    return b;
  };
  return Buffer.concat([header, chunk('fmt ', 16), fmt, chunk('data', data.length), data]);
}

// ---------------------------------------------------------------- helpers

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(closeDb);

const newCall = (opts: Partial<Parameters<typeof insertCall>[0]> = {}) =>
  insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign, ...opts });

/** Sends the bytes exactly as a browser would, following the signed upload's instructions. */
async function sendUpload(u: Upload, bytes: Buffer, contentType: string): Promise<Response> {
  if (u.method === 'PUT') {
    return fetch(u.uploadUrl, {
      method: 'PUT',
      headers: Object.fromEntries(u.headers.map((h) => [h.name, h.value])),
      body: bytes,
    });
  }
  const form = new FormData();
  for (const f of u.formFields) form.append(f.name, f.value);
  form.append('file', new Blob([bytes], { type: contentType }), 'upload');
  return fetch(u.uploadUrl, { method: 'POST', body: form });
}

async function startUpload(
  client: Client,
  input: { fileName: string; contentType: string; sizeBytes: number },
) {
  return (await client.run(CreateEvidenceUploadDocument, { input })).createEvidenceUpload;
}

/** createEvidenceUpload, then the upload itself; `declaredSize` defaults to the real one. */
async function evidence(
  client: Client,
  opts: {
    fileName: string;
    contentType: string;
    bytes: Buffer;
    declaredSize?: number;
    upload?: boolean;
  },
): Promise<string> {
  const u = await startUpload(client, {
    fileName: opts.fileName,
    contentType: opts.contentType,
    sizeBytes: opts.declaredSize ?? opts.bytes.length,
  });
  if (opts.upload !== false) {
    const res = await sendUpload(u, opts.bytes, opts.contentType);
    expect(res.status).toBeLessThan(300);
  }
  return u.evidenceId;
}

async function download(
  url: string,
): Promise<{ status: number; bytes: Buffer; disposition: string | null; type: string | null }> {
  const res = await fetch(url);
  return {
    status: res.status,
    bytes: Buffer.from(await res.arrayBuffer()),
    disposition: res.headers.get('content-disposition'),
    type: res.headers.get('content-type'),
  };
}

const expiresParam = (url: string) => Number(new URL(url).searchParams.get('X-Amz-Expires'));

async function evidenceRow(id: string) {
  const r = await db().query<{
    dispute_id: string | null;
    object_key: string;
    file_name: string;
    content_type: string;
  }>('SELECT dispute_id, object_key, file_name, content_type FROM evidence WHERE id::text = $1', [
    id,
  ]);
  return r.rows[0];
}

function s3(): MinioClient {
  const { endpoint, accessKey, secretKey, region } = readTestEnv().s3;
  const url = new URL(endpoint);
  return new MinioClient({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey,
    secretKey,
    region,
    pathStyle: true,
  });
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3().statObject(readTestEnv().s3.bucket, key);
    return true;
  } catch {
    return false;
  }
}

/** The key a client's signed upload writes: evidence/<owner>/<evidenceId>. */
const uploadKeyOf = (ownerId: string, id: string) => `evidence/${ownerId}/${id}`;

/** The copies createDispute made of a file to check and serve, under evidence/checked/<id>/. */
async function checkedCopies(id: string): Promise<string[]> {
  const names: string[] = [];
  const prefix = `evidence/checked/${id}/`;
  for await (const o of s3().listObjectsV2(readTestEnv().s3.bucket, prefix, true)) {
    names.push((o as { name: string }).name);
  }
  return names.sort();
}

/** `size` bytes of HTML that runs a script: what a client would swap in for its evidence. */
function htmlOfSize(size: number): Buffer {
  const script = '<html><script>alert(document.cookie)</script>';
  if (size < script.length) throw new Error(`${size} bytes cannot hold the script`);
  const html = Buffer.alloc(size, ' ');
  html.write(script, 'latin1');
  return html;
}

// ---------------------------------------------------------------- uploading and downloading

describe('evidence through the object store', () => {
  it('uploads a PNG, a PDF and an MP3, binds them in the order given, and serves the same bytes', async () => {
    const files = [
      { fileName: 'statement.pdf', contentType: 'application/pdf', bytes: makePdf() },
      { fileName: 'screenshot.png', contentType: 'image/png', bytes: makePng() },
      { fileName: 'voicemail.mp3', contentType: 'audio/mpeg', bytes: makeMp3() },
    ];
    const ids: string[] = [];
    for (const f of files) ids.push(await evidence(w.as.buyerA, f));
    const callId = await newCall();

    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeDocument, {
      input: { callId, reason: 'INVALID_CALLER', evidenceIds: ids },
    });
    expect(d.evidence.map((e) => e.id)).toEqual(ids);
    for (const [i, e] of d.evidence.entries()) {
      const f = files[i]!;
      expect(e).toMatchObject({
        fileName: f.fileName,
        contentType: f.contentType,
        sizeBytes: f.bytes.length,
      });
      expect(expiresParam(e.url)).toBeGreaterThan(0);
      expect(expiresParam(e.url)).toBeLessThanOrEqual(900);
      const got = await download(e.url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(f.bytes)).toBe(true);
      expect(got.disposition).toContain(`filename="${f.fileName}"`);
      expect(got.type).toBe(f.contentType);
    }
    for (const id of ids) expect((await evidenceRow(id))?.dispute_id).toBe(d.id);

    // The same account and managers see the files; the list of a dispute loads in one go.
    for (const client of [w.as.buyerA2, w.as.viewManager]) {
      const seen = (await client.run(DisputeEvidenceDocument, { id: d.id })).dispute;
      expect(seen?.evidence.map((e) => e.id)).toEqual(ids);
      const got = await download(seen!.evidence[1]!.url);
      expect(got.bytes.equals(files[1]!.bytes)).toBe(true);
    }
  });

  it("signs an upload for a key of the server's choosing, within 15 minutes, and keeps a clean file name", async () => {
    const before = Date.now();
    const u = await startUpload(w.as.buyerA, {
      fileName: '../../etc/pass\u0007wd "final".PNG',
      contentType: ' Image/PNG ',
      sizeBytes: 1234,
    });
    expect(new Date(u.expiresAt).getTime()).toBeGreaterThan(before);
    expect(new Date(u.expiresAt).getTime()).toBeLessThanOrEqual(before + 15 * 60_000 + 5_000);
    const row = await evidenceRow(u.evidenceId);
    expect(row).toMatchObject({
      object_key: `evidence/${w.ids.buyerA}/${u.evidenceId}`,
      file_name: 'passwd final.PNG',
      content_type: 'image/png',
      dispute_id: null,
    });
    if (u.method === 'POST') {
      const fields = Object.fromEntries(u.formFields.map((f) => [f.name, f.value]));
      expect(fields.key).toBe(row!.object_key);
      expect(fields['Content-Type']).toBe('image/png');
      // The policy pins type and exact size for stores that enforce it.
      const policy = JSON.parse(Buffer.from(fields.policy!, 'base64').toString('utf8')) as {
        expiration: string;
        conditions: unknown[];
      };
      expect(new Date(policy.expiration).getTime()).toBeLessThanOrEqual(
        before + 15 * 60_000 + 5_000,
      );
      expect(policy.conditions).toContainEqual(['content-length-range', 1234, 1234]);
      // Exactly one key, never one under evidence/checked/, where createDispute keeps its copies.
      const keyConditions = policy.conditions.filter((c) => Array.isArray(c) && c[1] === '$key');
      expect(keyConditions).toEqual([['eq', '$key', row!.object_key]]);
      expect(row!.object_key.startsWith('evidence/checked/')).toBe(false);
    } else {
      expect(expiresParam(u.uploadUrl)).toBeLessThanOrEqual(900);
    }
  });

  it('accepts UTF-8 text, and WAV declared under a browser alias', async () => {
    const text = await evidence(w.as.buyerA, {
      fileName: 'notes.txt',
      contentType: 'text/plain; charset=utf-8',
      bytes: Buffer.from('Caller said: “wrong number” — hung up. ✓\n', 'utf8'),
    });
    const wav = await evidence(w.as.buyerA, {
      fileName: 'call.wav',
      contentType: 'audio/x-wav',
      bytes: makeWav(),
    });
    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeDocument, {
      input: { callId: await newCall(), reason: 'OTHER', evidenceIds: [text, wav] },
    });
    expect(d.evidence.map((e) => e.contentType)).toEqual(['text/plain', 'audio/wav']);
  });

  it.each([
    {
      field: 'contentType',
      input: { fileName: 'a.zip', contentType: 'application/zip', sizeBytes: 10 },
    },
    {
      field: 'contentType',
      input: { fileName: 'a.html', contentType: 'text/html', sizeBytes: 10 },
    },
    {
      field: 'contentType',
      input: { fileName: 'a.txt', contentType: 'text/plain; charset=latin1', sizeBytes: 10 },
    },
    {
      field: 'sizeBytes',
      input: { fileName: 'big.png', contentType: 'image/png', sizeBytes: 25 * MiB + 1 },
    },
    {
      field: 'sizeBytes',
      input: { fileName: 'empty.png', contentType: 'image/png', sizeBytes: 0 },
    },
    { field: 'sizeBytes', input: { fileName: 'neg.png', contentType: 'image/png', sizeBytes: -5 } },
    { field: 'fileName', input: { fileName: '', contentType: 'image/png', sizeBytes: 10 } },
    {
      field: 'fileName',
      input: { fileName: 'dir/../..', contentType: 'image/png', sizeBytes: 10 },
    },
    {
      field: 'fileName',
      input: { fileName: `${'x'.repeat(256)}.png`, contentType: 'image/png', sizeBytes: 10 },
    },
  ])(
    'refuses createEvidenceUpload with a bad $field and writes nothing ($input.contentType, $input.sizeBytes)',
    async ({ field, input }) => {
      const before = await count('evidence', 'owner_id = $1', [w.ids.buyerA]);
      const res = await w.as.buyerA.raw(CreateEvidenceUploadDocument, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0]?.message).toContain(field);
      expect(await count('evidence', 'owner_id = $1', [w.ids.buyerA])).toBe(before);
    },
  );

  it('takes the full 25 MiB declaration', async () => {
    const u = await startUpload(w.as.buyerA, {
      fileName: 'max.pdf',
      contentType: 'application/pdf',
      sizeBytes: 25 * MiB,
    });
    expect(u.evidenceId).toBeTruthy();
  });

  it.each([
    { who: 'buyerANoPerm', code: 'FORBIDDEN' },
    { who: 'viewManager', code: 'FORBIDDEN' },
    { who: 'anonymous', code: 'UNAUTHENTICATED' },
  ] as const)('refuses createEvidenceUpload to $who with $code', async ({ who, code }) => {
    const input = { fileName: 'a.png', contentType: 'image/png', sizeBytes: 10 };
    expect(await w.as[who].errorCode(CreateEvidenceUploadDocument, { input })).toBe(code);
  });
});

// ---------------------------------------------------------------- refusals at createDispute

describe('createDispute refuses evidence that is not what it claims', () => {
  type Case = {
    name: string;
    arrange: () => Promise<{ ids: string[]; bad: string }>;
    message: RegExp;
  };
  const png = makePng();
  const cases: Case[] = [
    {
      name: 'a declared PNG whose bytes are text',
      message: /declared as image\/png/,
      arrange: async () => {
        const text = Buffer.from('this is not a picture, only words words words\n');
        const id = await evidence(w.as.buyerA, {
          fileName: 'fake.png',
          contentType: 'image/png',
          bytes: text,
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'a declared MP3 whose bytes are WAV',
      message: /declared as audio\/mpeg but its contents look like audio\/wav/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA, {
          fileName: 'a.mp3',
          contentType: 'audio/mpeg',
          bytes: makeWav(),
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'declared text holding NUL bytes',
      message: /not UTF-8 text/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA, {
          fileName: 'a.txt',
          contentType: 'text/plain',
          bytes: Buffer.from('abc\u0000def'),
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'declared text that is not UTF-8',
      message: /not UTF-8 text/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA, {
          fileName: 'a.txt',
          contentType: 'text/plain',
          bytes: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'a size other than declared (after a good file, which stays unbound too)',
      message: /declared as \d+ bytes but \d+ bytes were uploaded/,
      arrange: async () => {
        const good = await evidence(w.as.buyerA, {
          fileName: 'ok.png',
          contentType: 'image/png',
          bytes: png,
        });
        const id = await evidence(w.as.buyerA, {
          fileName: 'a.png',
          contentType: 'image/png',
          bytes: png,
          declaredSize: png.length + 10,
          upload: false,
        });
        // The store refuses this upload under the policy; a store that cannot enforce it
        // (PUT uploads) would take it, as the store's own key does here.
        const { bucket } = readTestEnv().s3;
        const key = (await evidenceRow(id))!.object_key;
        await s3().putObject(bucket, key, png, png.length, { 'Content-Type': 'image/png' });
        return { ids: [good, id], bad: id };
      },
    },
    {
      name: "another account's evidence",
      message: /does not exist or was not created by you/,
      arrange: async () => {
        const id = await evidence(w.as.buyerB, {
          fileName: 'b.png',
          contentType: 'image/png',
          bytes: png,
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'evidence another user of the same account created',
      message: /does not exist or was not created by you/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA2, {
          fileName: 'a2.png',
          contentType: 'image/png',
          bytes: png,
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'evidence already bound to another dispute',
      message: /already attached to a dispute/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA, {
          fileName: 'used.png',
          contentType: 'image/png',
          bytes: png,
        });
        await w.as.buyerA.run(CreateDisputeIdDocument, {
          input: { callId: await newCall(), reason: 'OTHER', evidenceIds: [id] },
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'an id never uploaded',
      message: /was never uploaded/,
      arrange: async () => {
        const id = await evidence(w.as.buyerA, {
          fileName: 'later.png',
          contentType: 'image/png',
          bytes: png,
          upload: false,
        });
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'an id that never existed',
      message: /does not exist/,
      arrange: async () => {
        const id = randomUUID();
        return { ids: [id], bad: id };
      },
    },
    {
      name: 'an id that is not even a UUID',
      message: /does not exist/,
      arrange: async () => ({ ids: ['not-an-id'], bad: 'not-an-id' }),
    },
  ];

  it.each(cases)(
    '$name: EVIDENCE_INVALID naming the file, nothing written',
    async ({ arrange, message }) => {
      const { ids, bad } = await arrange();
      const callId = await newCall();
      const boundBefore = await Promise.all(
        ids.map(async (id) => (await evidenceRow(id))?.dispute_id ?? null),
      );
      const copiesBefore = await Promise.all(ids.map(checkedCopies));
      const res = await w.as.buyerA.raw(CreateDisputeDocument, {
        input: { callId, reason: 'OTHER', evidenceIds: ids },
      });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'EVIDENCE_INVALID',
        evidenceId: bad,
      });
      expect(res.errors?.[0]?.message).toContain(bad);
      expect(res.errors?.[0]?.message).toMatch(message);
      expect(await count('disputes', 'call_id = $1', [callId])).toBe(0);
      const boundAfter = await Promise.all(
        ids.map(async (id) => (await evidenceRow(id))?.dispute_id ?? null),
      );
      expect(boundAfter).toEqual(boundBefore);
      // The copies made to check the files are gone again.
      expect(await Promise.all(ids.map(checkedCopies))).toEqual(copiesBefore);
    },
  );
});

// ---------------------------------------------------------------- immutable once checked

describe('evidence cannot change once createDispute checked it', () => {
  /** A PNG uploaded under a fresh signed upload, and that upload, to send again later. */
  async function uploadedPng(client: Client) {
    const png = makePng();
    const u = await startUpload(client, {
      fileName: 'proof.png',
      contentType: 'image/png',
      sizeBytes: png.length,
    });
    expect((await sendUpload(u, png, 'image/png')).status).toBeLessThan(300);
    return { png, u };
  }

  it('serves the checked bytes after the same signed upload is sent again with other bytes, of the same size or not', async () => {
    const { png, u } = await uploadedPng(w.as.buyerA);
    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId: await newCall(), reason: 'OTHER', evidenceIds: [u.evidenceId] },
    });
    const uploadKey = uploadKeyOf(w.ids.buyerA, u.evidenceId);
    const uploadKeyLeft = await objectExists(uploadKey);

    // The signed upload is still valid (a POST policy or PUT URL stays usable until it
    // expires, on S3 and MinIO too): here the same size goes through and another size is
    // refused by the policy; a store that enforces nothing would take anything, as the store's
    // own key does here.
    await sendUpload(u, htmlOfSize(png.length), 'image/png');
    await sendUpload(u, htmlOfSize(png.length + 100), 'image/png');
    const other = htmlOfSize(png.length + 7);
    await s3().putObject(readTestEnv().s3.bucket, uploadKey, other, other.length, {
      'Content-Type': 'text/html',
    });

    for (const client of [w.as.viewManager, w.as.editManager, w.as.buyerA]) {
      const seen = (await client.run(DisputeEvidenceDocument, { id: d.id })).dispute;
      expect(seen?.evidence.map((e) => e.sizeBytes)).toEqual([png.length]);
      const got = await download(seen!.evidence[0]!.url);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(png)).toBe(true);
      expect(got.type).toBe('image/png');
    }

    // What is served is the copy createDispute checked, at a key no signed upload names; the
    // uploaded object was removed once the copy was bound.
    const row = (await evidenceRow(u.evidenceId))!;
    expect(row.dispute_id).toBe(d.id);
    expect(row.object_key.startsWith(`evidence/checked/${u.evidenceId}/`)).toBe(true);
    expect(await checkedCopies(u.evidenceId)).toEqual([row.object_key]);
    expect(uploadKeyLeft).toBe(false);
  });

  it('binds a file named by two disputes at once to one of them, with only its checked copy left', async () => {
    const { png, u } = await uploadedPng(w.as.buyerA);
    const calls = [await newCall(), await newCall()];
    const results = await Promise.all(
      calls.map((callId) =>
        w.as.buyerA.raw(CreateDisputeIdDocument, {
          input: { callId, reason: 'OTHER', evidenceIds: [u.evidenceId] },
        }),
      ),
    );
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.errors);
    expect(lost?.errors?.[0]?.extensions?.code).toBe('EVIDENCE_INVALID');

    const row = (await evidenceRow(u.evidenceId))!;
    expect(row.dispute_id).toBe(won[0]!.data!.createDispute.id);
    expect(await checkedCopies(u.evidenceId)).toEqual([row.object_key]);
    const seen = (await w.as.viewManager.run(DisputeEvidenceDocument, { id: row.dispute_id! }))
      .dispute;
    expect((await download(seen!.evidence[0]!.url)).bytes.equals(png)).toBe(true);
  });

  it("removes the copies of a dispute refused by the call's rules, and the file stays usable", async () => {
    const { png, u } = await uploadedPng(w.as.buyerA);
    const taken = await newCall();
    await insertDispute({ callId: taken, createdBy: w.ids.buyerA });
    const res = await w.as.buyerA.raw(CreateDisputeIdDocument, {
      input: { callId: taken, reason: 'OTHER', evidenceIds: [u.evidenceId] },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('DISPUTE_ALREADY_ACTIVE');
    expect(await evidenceRow(u.evidenceId)).toMatchObject({
      dispute_id: null,
      object_key: uploadKeyOf(w.ids.buyerA, u.evidenceId),
    });
    expect(await checkedCopies(u.evidenceId)).toEqual([]);
    expect(await objectExists(uploadKeyOf(w.ids.buyerA, u.evidenceId))).toBe(true);

    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeDocument, {
      input: { callId: await newCall(), reason: 'OTHER', evidenceIds: [u.evidenceId] },
    });
    expect((await download(d.evidence[0]!.url)).bytes.equals(png)).toBe(true);
  });
});

// ---------------------------------------------------------------- who gets a URL

describe('signed URLs go only to viewers who may see the dispute or call', () => {
  it("gives another account's buyer neither the dispute nor its evidence, nor the call's recording", async () => {
    const key = `recordings/${randomUUID()}`;
    const audio = makeMp3();
    await s3().putObject(readTestEnv().s3.bucket, key, audio, audio.length, {
      'Content-Type': 'audio/mpeg',
    });
    const callId = await newCall({ recordingKey: key });
    const id = await evidence(w.as.buyerA, {
      fileName: 'mine.png',
      contentType: 'image/png',
      bytes: makePng(),
    });
    const { createDispute: d } = await w.as.buyerA.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER', evidenceIds: [id] },
    });

    const asB = await w.as.buyerB.raw(DisputeEvidenceDocument, { id: d.id });
    expect(asB.errors).toBeUndefined();
    expect(asB.data?.dispute).toBeNull();
    const callAsB = await w.as.buyerB.raw(CallRecordingDocument, { id: callId });
    expect(callAsB.errors).toBeUndefined();
    expect(callAsB.data?.call).toBeNull();
    expect(JSON.stringify([asB, callAsB])).not.toContain('X-Amz');

    // The owner's account gets a working recording URL, saved under a made-up name.
    const { call } = await w.as.buyerA.run(CallRecordingDocument, { id: callId });
    expect(call?.recording?.contentType).toBe('audio/mpeg');
    const url = call!.recording!.url;
    expect(expiresParam(url)).toBeGreaterThan(0);
    expect(expiresParam(url)).toBeLessThanOrEqual(900);
    const got = await download(url);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(audio)).toBe(true);
    expect(got.disposition).toContain(`call-${callId}.mp3`);
  });

  it('shows no recording for a call without one', async () => {
    const { call } = await w.as.buyerA.run(CallRecordingDocument, { id: await newCall() });
    expect(call?.recording).toBeNull();
  });
});

// ---------------------------------------------------------------- import of recordings

describe('npm run import with recordingPath', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-import-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function fixture(opts: { recordingPath: string }) {
    const ids = {
      account: randomUUID(),
      user: randomUUID(),
      campaign: randomUUID(),
      call: randomUUID(),
    };
    const json = {
      accounts: [
        { id: ids.account, name: 'Import Rec Co', disputeWindowHours: 72, currency: 'USD' },
      ],
      users: [
        {
          id: ids.user,
          name: 'Rita Recorder',
          email: `${ids.user}@import.test`,
          role: 'BUYER',
          accountId: ids.account,
          permissions: ['DISPUTE_CALLS'],
        },
      ],
      campaigns: [{ id: ids.campaign, name: 'Recorded campaign', disputeWindowHours: null }],
      calls: [
        {
          id: ids.call,
          buyerId: ids.account,
          campaignId: ids.campaign,
          startedAt: new Date(Date.now() - HOUR).toISOString(),
          callerId: '+15551230001',
          destination: '+18005550100',
          payout: '25.00',
          durationSeconds: 95,
          status: 'COMPLETED_WITH_CONVERSION',
          hangupBy: 'CALLER',
          hangupCause: null,
          recordingPath: opts.recordingPath,
        },
      ],
    };
    const file = path.join(dir, `${ids.call}.json`);
    fs.writeFileSync(file, JSON.stringify(json));
    return { ids, file };
  }

  it('stores the recording, serves it through Recording.url, and changes nothing when run again', async () => {
    const audio = makeWav();
    fs.writeFileSync(path.join(dir, 'call.wav'), audio);
    const { ids, file } = fixture({ recordingPath: 'call.wav' });

    const first = await runCli(['import', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('"recordingsStored":1');

    const buyer = await Client.forUser(ids.user);
    const { call } = await buyer.run(CallRecordingDocument, { id: ids.call });
    expect(call?.recording).toMatchObject({ contentType: 'audio/wav', durationSeconds: 0 });
    const got = await download(call!.recording!.url);
    expect(got.bytes.equals(audio)).toBe(true);
    expect(expiresParam(call!.recording!.url)).toBeLessThanOrEqual(900);

    const second = await runCli(['import', file]);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout.slice(second.stdout.indexOf('{'))) as Record<
      string,
      { inserted: number; updated: number; unchanged: number }
    >;
    for (const kind of ['accounts', 'users', 'campaigns', 'calls']) {
      expect(summary[kind]).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    }
    expect(await count('calls', 'id = $1', [ids.call])).toBe(1);

    // Another account's buyer still gets no recording.
    expect((await w.as.buyerB.run(CallRecordingDocument, { id: ids.call })).call).toBeNull();
  });

  it('refuses a recording that is not audio, naming record and field, and writes nothing', async () => {
    fs.writeFileSync(path.join(dir, 'fake.mp3'), 'just some text, not audio\n');
    const { ids, file } = fixture({ recordingPath: 'fake.mp3' });
    const res = await runCli(['import', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`calls[0] (id ${ids.call}): recordingPath`);
    expect(res.stderr).toContain('does not look like MP3 audio');
    expect(await count('accounts', 'id = $1', [ids.account])).toBe(0);
    expect(await count('calls', 'id = $1', [ids.call])).toBe(0);
    expect(await objectExists(`recordings/${ids.call}`)).toBe(false);
  });

  it.each([
    ['an MP3 behind an ID3 tag', 'call.mp3', makeMp3, 'audio/mpeg'],
    ['an Ogg Vorbis stream', 'call.ogg', makeOgg, 'audio/ogg'],
  ])('stores %s, typed by its bytes', async (_what, name, make, contentType) => {
    fs.writeFileSync(path.join(dir, name), make());
    const { ids, file } = fixture({ recordingPath: name });
    const res = await runCli(['import', file]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const buyer = await Client.forUser(ids.user);
    const { call } = await buyer.run(CallRecordingDocument, { id: ids.call });
    expect(call?.recording).toMatchObject({ contentType, durationSeconds: null });
  });

  it('refuses a WAV file named .mp3', async () => {
    fs.writeFileSync(path.join(dir, 'wav.mp3'), makeWav());
    const { ids, file } = fixture({ recordingPath: 'wav.mp3' });
    const res = await runCli(['import', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`calls[0] (id ${ids.call}): recordingPath`);
    expect(res.stderr).toContain('does not look like MP3 audio');
    expect(await count('calls', 'id = $1', [ids.call])).toBe(0);
  });

  it('refuses a recordingPath that does not exist', async () => {
    const { ids, file } = fixture({ recordingPath: 'missing.ogg' });
    const res = await runCli(['import', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`calls[0] (id ${ids.call}): recordingPath`);
    expect(res.stderr).toContain('no such file');
    expect(await count('users', 'id = $1', [ids.user])).toBe(0);
  });
});

// ---------------------------------------------------------------- the sweep

describe('sweep of unbound evidence', () => {
  async function seedEvidence(opts: { ageHours: number; disputeId?: string }) {
    const id = randomUUID();
    const key = `evidence/${w.ids.buyerA}/${id}`;
    const bytes = makePng();
    await s3().putObject(readTestEnv().s3.bucket, key, bytes, bytes.length, {
      'Content-Type': 'image/png',
    });
    const createdAt = new Date(Date.now() - opts.ageHours * HOUR);
    await db().query(
      `INSERT INTO evidence (id, owner_id, dispute_id, file_name, content_type, size_bytes, object_key, created_at, bound_at)
       VALUES ($1, $2, $3, 'x.png', 'image/png', $4, $5, $6, $7)`,
      [
        id,
        w.ids.buyerA,
        opts.disputeId ?? null,
        bytes.length,
        key,
        createdAt,
        opts.disputeId ? createdAt : null,
      ],
    );
    return { id, key };
  }

  it('deletes rows and objects of evidence never bound and older than EVIDENCE_TTL_HOURS, and nothing else', async () => {
    const disputeId = await insertDispute({ callId: await newCall(), createdBy: w.ids.buyerA });
    const stale = await seedEvidence({ ageHours: 30 });
    const staleNeverUploaded = { id: randomUUID() };
    await db().query(
      `INSERT INTO evidence (id, owner_id, file_name, content_type, size_bytes, object_key, created_at)
       VALUES ($1, $2, 'y.png', 'image/png', 10, $3, now() - interval '30 hours')`,
      [staleNeverUploaded.id, w.ids.buyerA, `evidence/${w.ids.buyerA}/${staleNeverUploaded.id}`],
    );
    const bound = await seedEvidence({ ageHours: 30, disputeId });
    const fresh = await seedEvidence({ ageHours: 1 });
    // A copy a createDispute made to check the stale file and could not remove (it stopped
    // before its refusal was answered).
    const leftover = `evidence/checked/${stale.id}/${randomUUID()}`;
    const png = makePng();
    await s3().putObject(readTestEnv().s3.bucket, leftover, png, png.length, {
      'Content-Type': 'image/png',
    });

    const res = await runCli(['sweep-evidence'], { EVIDENCE_TTL_HOURS: '24' });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Removed [1-9]\d* unbound evidence/);

    expect(await count('evidence', 'id = $1', [stale.id])).toBe(0);
    expect(await objectExists(stale.key)).toBe(false);
    expect(await checkedCopies(stale.id)).toEqual([]);
    expect(await count('evidence', 'id = $1', [staleNeverUploaded.id])).toBe(0);
    expect(await count('evidence', 'id = $1', [bound.id])).toBe(1);
    expect(await objectExists(bound.key)).toBe(true);
    expect(await count('evidence', 'id = $1', [fresh.id])).toBe(1);
    expect(await objectExists(fresh.key)).toBe(true);
  });
});

// ---------------------------------------------------------------- the store down

describe('with the object store down', () => {
  let api: ApiProcess;
  let buyer: Client;
  let userId: string;
  beforeAll(async () => {
    const env = readTestEnv();
    api = await startApiProcess({
      DATABASE_URL: env.databaseUrl,
      // Nothing listens on port 1: every store request fails at once.
      S3_ENDPOINT: 'http://127.0.0.1:1',
      S3_ACCESS_KEY: env.s3.accessKey,
      S3_SECRET_KEY: env.s3.secretKey,
      S3_BUCKET: env.s3.bucket,
      S3_REGION: env.s3.region,
    });
    userId = await insertUser({
      role: 'BUYER',
      accountId: w.ids.accountA,
      permissions: ['DISPUTE_CALLS'],
    });
    buyer = await Client.forUser(userId, api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('is still ready, and /readyz says the store is down', async () => {
    const res = await fetch(api.url.replace(/\/graphql$/, '/readyz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ready',
      database: 'up',
      objectStore: 'down',
    });
    const healthy = await fetch(readTestEnv().apiUrl.replace(/\/graphql$/, '/readyz'));
    expect(await healthy.json()).toMatchObject({ objectStore: 'up' });
  });

  it('refuses createEvidenceUpload clearly and writes nothing', async () => {
    const before = await count('evidence', 'owner_id = $1', [userId]);
    const res = await buyer.raw(CreateEvidenceUploadDocument, {
      input: { fileName: 'a.png', contentType: 'image/png', sizeBytes: 100 },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(res.errors?.[0]?.message).toMatch(
      /File uploads are unavailable right now.*Disputes without evidence still work/,
    );
    expect(await count('evidence', 'owner_id = $1', [userId])).toBe(before);
  });

  it('still takes disputes without evidence', async () => {
    const callId = await newCall();
    const { createDispute: d } = await buyer.run(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER' },
    });
    expect(d.status).toBe('PENDING');
  });

  it('refuses a dispute with evidence it cannot check, clearly, writing nothing', async () => {
    const own = await Client.forUser(userId);
    const id = await evidence(own, {
      fileName: 'a.png',
      contentType: 'image/png',
      bytes: makePng(),
    });
    const callId = await newCall();
    const res = await buyer.raw(CreateDisputeIdDocument, {
      input: { callId, reason: 'OTHER', evidenceIds: [id] },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(res.errors?.[0]?.message).toMatch(/cannot be checked right now/);
    expect(await count('disputes', 'call_id = $1', [callId])).toBe(0);
    expect((await evidenceRow(id))?.dispute_id).toBeNull();
  });
});

// ---------------------------------------------------------------- a real MinIO (optional)

/**
 * The embedded store's gate has its own tests (embedded-store.test.ts); these prove the same
 * refusals, and that a checked copy outlives a resent upload, against a real MinIO: MINIO_TEST_ENDPOINT=http://127.0.0.1:9000
 * MINIO_TEST_ACCESS_KEY=... MINIO_TEST_SECRET_KEY=... npx jest test/integration/evidence.test.ts (docs/object-storage.md).
 */
const minio = process.env.MINIO_TEST_ENDPOINT
  ? {
      endPoint: process.env.MINIO_TEST_ENDPOINT,
      accessKey: process.env.MINIO_TEST_ACCESS_KEY ?? 'minioadmin',
      secretKey: process.env.MINIO_TEST_SECRET_KEY ?? 'minioadmin',
      bucket: process.env.MINIO_TEST_BUCKET ?? 'disputes-signature-test',
      region: process.env.MINIO_TEST_REGION ?? 'us-east-1',
    }
  : null;
const itWithMinio = minio ? it : it.skip;

describe('against a real MinIO', () => {
  const store = () => new MinioObjectStore({ ...minio! });
  const key = `evidence/signature-test/${randomUUID()}`;
  const bytes = makePng();

  beforeAll(async () => {
    if (!minio) return;
    await store().ensureBucket();
    await store().put(key, bytes, 'image/png', bytes.length);
  });
  afterAll(async () => {
    if (minio) await store().delete(key);
  });

  itWithMinio('serves a fresh signed URL, and refuses a tampered or expired one', async () => {
    const url = await store().signedDownload(key, {
      expiresInSeconds: 2,
      fileName: 'a.png',
      contentType: 'image/png',
    });
    expect((await download(url)).bytes.equals(bytes)).toBe(true);

    const tampered = new URL(url);
    const signature = tampered.searchParams.get('X-Amz-Signature')!;
    tampered.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    );
    expect((await download(tampered.toString())).status).toBe(403);

    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace(/[^/]+$/, 'someone-else');
    expect((await download(otherKey.toString())).status).toBe(403);

    // Expired once the store's clock passes the 2 s: asked again until then, not slept through.
    const deadline = Date.now() + 10_000;
    let status = (await download(url)).status;
    while (status !== 403 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await download(url)).status;
    }
    expect(status).toBe(403);
  });

  itWithMinio('enforces the POST policy: exact size and declared type', async () => {
    const s = store();
    const uploadKey = `evidence/signature-test/${randomUUID()}`;
    const signed = await s.signedUpload(uploadKey, {
      contentType: 'image/png',
      sizeBytes: bytes.length,
      expiresInSeconds: 60,
    });
    const asUpload = (fields: { name: string; value: string }[]): Upload => ({
      evidenceId: 'x',
      uploadUrl: signed.url,
      method: signed.method,
      headers: signed.headers,
      formFields: fields,
      expiresAt: signed.expiresAt.toISOString(),
    });
    try {
      const bigger = await sendUpload(
        asUpload(signed.formFields),
        Buffer.concat([bytes, Buffer.alloc(10)]),
        'image/png',
      );
      expect(bigger.status).toBeGreaterThanOrEqual(400);
      const otherType = signed.formFields.map((f) =>
        f.name === 'Content-Type' ? { ...f, value: 'text/html' } : f,
      );
      expect(
        (await sendUpload(asUpload(otherType), bytes, 'text/html')).status,
      ).toBeGreaterThanOrEqual(400);
      const forged = signed.formFields.map((f) =>
        f.name === 'x-amz-signature'
          ? { ...f, value: f.value.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }
          : f,
      );
      expect((await sendUpload(asUpload(forged), bytes, 'image/png')).status).toBe(403);
      expect(await s.stat(uploadKey)).toBeNull();

      expect(
        (await sendUpload(asUpload(signed.formFields), bytes, 'image/png')).status,
      ).toBeLessThan(300);
      expect((await s.stat(uploadKey))?.size).toBe(bytes.length);
    } finally {
      await s.delete(uploadKey);
    }
  });

  itWithMinio(
    'keeps a server-side copy as it was when the same signed POST is sent again',
    async () => {
      const s = store();
      const uploadKey = `evidence/signature-test/${randomUUID()}`;
      const copyKey = `evidence/checked/${randomUUID()}/${randomUUID()}`;
      const signed = await s.signedUpload(uploadKey, {
        contentType: 'image/png',
        sizeBytes: bytes.length,
        expiresInSeconds: 60,
      });
      const upload: Upload = {
        evidenceId: 'x',
        uploadUrl: signed.url,
        method: signed.method,
        headers: signed.headers,
        formFields: signed.formFields,
        expiresAt: signed.expiresAt.toISOString(),
      };
      try {
        expect((await sendUpload(upload, bytes, 'image/png')).status).toBeLessThan(300);
        expect(await s.copy(uploadKey, copyKey, 'image/png')).toBe(true);

        // A policy stays usable until it expires: MinIO, like S3, takes the same form again.
        const swapped = htmlOfSize(bytes.length);
        if ((await sendUpload(upload, swapped, 'image/png')).status < 300) {
          expect((await s.readRange(uploadKey, 0, bytes.length)).equals(swapped)).toBe(true);
        }
        expect((await s.readRange(copyKey, 0, bytes.length)).equals(bytes)).toBe(true);
        expect(await s.stat(copyKey)).toEqual({ size: bytes.length, contentType: 'image/png' });
        expect(await s.list(copyKey.replace(/[^/]+$/, ''))).toEqual([copyKey]);
        const missing = `evidence/signature-test/${randomUUID()}`;
        expect(await s.copy(missing, `${copyKey}-none`, 'image/png')).toBe(false);
      } finally {
        await s.delete(uploadKey);
        await s.delete(copyKey);
      }
    },
  );
});
