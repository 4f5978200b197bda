import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as MinioClient } from 'minio';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  MinioObjectStore,
  type MinioObjectStoreOptions,
} from '../../src/platform/minio-object-store';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/dev/embedded-object-store';

/**
 * The embedded store answers only requests signed with its own key pair: the API's client
 * calls, its presigned URLs and its POST policies. Everything else gets 403 and changes nothing.
 */

const BUCKET = 'gate-test';
const KEY = 'evidence/owner/first';
const BYTES = Buffer.from('the original evidence bytes\n');

let dir: string;
let s: EmbeddedStore;
let store: MinioObjectStore;

function storeWith(opts: Partial<MinioObjectStoreOptions> = {}): MinioObjectStore {
  return new MinioObjectStore({
    endPoint: s.endpoint,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    bucket: BUCKET,
    region: s.region,
    ...opts,
  });
}

function minioWith(accessKey: string, secretKey: string): MinioClient {
  const url = new URL(s.endpoint);
  return new MinioClient({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey,
    secretKey,
    region: s.region,
    pathStyle: true,
  });
}

async function answer(res: Response): Promise<{ status: number; code: string | null }> {
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null };
}

async function contents(key: string): Promise<string | null> {
  const info = await store.stat(key);
  return info ? (await store.readRange(key, 0, info.size)).toString() : null;
}

const flipLast = (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-store-test-'));
  s = await startEmbeddedStore({ directory: dir });
  store = storeWith();
  await store.ensureBucket();
  await store.put(KEY, BYTES, 'text/plain', BYTES.length);
});
afterAll(async () => {
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded store refuses what is not signed with its key', () => {
  it('uses a fresh random key pair, not the built-in S3RVER one', async () => {
    expect(s.accessKey).not.toBe('S3RVER');
    expect(s.secretKey.length).toBeGreaterThanOrEqual(32);
    const other = await startEmbeddedStore({ directory: path.join(dir, 'other') });
    try {
      expect(other.secretKey).not.toBe(s.secretKey);
    } finally {
      await other.stop();
    }
  });

  it.each([
    { what: 'list the buckets', method: 'GET', url: '/' },
    { what: 'list a bucket', method: 'GET', url: `/${BUCKET}?list-type=2` },
    { what: 'read an object', method: 'GET', url: `/${BUCKET}/${KEY}` },
    { what: 'stat an object', method: 'HEAD', url: `/${BUCKET}/${KEY}` },
    { what: 'overwrite an object', method: 'PUT', url: `/${BUCKET}/${KEY}`, body: 'swapped' },
    { what: 'delete an object', method: 'DELETE', url: `/${BUCKET}/${KEY}` },
    { what: 'delete the bucket', method: 'DELETE', url: `/${BUCKET}` },
    { what: 'create a bucket', method: 'PUT', url: '/another-bucket' },
  ])('refuses an unsigned request to $what with 403', async ({ method, url, body }) => {
    const res = await fetch(`${s.endpoint}${url}`, { method, body });
    const got = await answer(res);
    expect(got.status).toBe(403);
    if (method !== 'HEAD') expect(got.code).toBe('AccessDenied');
    expect(await contents(KEY)).toBe(BYTES.toString());
    expect(await minioWith(s.accessKey, s.secretKey).bucketExists('another-bucket')).toBe(false);
  });

  it('refuses requests signed with the wrong secret, another key, or the old fixed S3RVER pair', async () => {
    const cases = [
      { client: minioWith(s.accessKey, `${s.secretKey}x`), code: 'SignatureDoesNotMatch' },
      { client: minioWith('SOMEONEELSE', s.secretKey), code: 'InvalidAccessKeyId' },
      { client: minioWith('S3RVER', 'S3RVER'), code: 'InvalidAccessKeyId' },
    ];
    for (const { client, code } of cases) {
      await expect(
        client.putObject(BUCKET, KEY, Buffer.from('swapped'), 7, { 'Content-Type': 'text/plain' }),
      ).rejects.toMatchObject({ code });
      await expect(client.removeObject(BUCKET, KEY)).rejects.toMatchObject({ code });
      await expect(client.getObject(BUCKET, KEY)).rejects.toMatchObject({ code });
    }
    expect(await contents(KEY)).toBe(BYTES.toString());
  });

  it('refuses a header-signed request dated more than 15 minutes away', async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: s.accessKey, secretAccessKey: s.secretKey },
      region: s.region,
      service: 's3',
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: false,
    });
    const url = new URL(`${s.endpoint}/${BUCKET}/${KEY}`);
    const sign = (signingDate: Date) =>
      signer.sign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: url.hostname,
          path: url.pathname,
          headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        { signingDate },
      );
    const fresh = await sign(new Date());
    expect((await fetch(url, { headers: fresh.headers })).status).toBe(200);
    const old = await sign(new Date(Date.now() - 20 * 60_000));
    expect(await answer(await fetch(url, { headers: old.headers }))).toEqual({
      status: 403,
      code: 'RequestTimeTooSkewed',
    });
  });
});

describe('presigned downloads', () => {
  it('serves a signed URL, and refuses it tampered, re-targeted or stretched', async () => {
    const url = await store.signedDownload(KEY, {
      expiresInSeconds: 60,
      fileName: 'notes "1" + more.txt',
      contentType: 'text/plain',
    });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toContain('filename="notes 1 + more.txt"');
    expect(await ok.text()).toBe(BYTES.toString());

    const tampered = new URL(url);
    tampered.searchParams.set(
      'X-Amz-Signature',
      flipLast(tampered.searchParams.get('X-Amz-Signature')!),
    );
    expect(await answer(await fetch(tampered))).toEqual({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });

    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace(/[^/]+$/, 'someone-else');
    expect((await fetch(otherKey)).status).toBe(403);

    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '86400');
    expect((await fetch(longer)).status).toBe(403);

    const otherName = new URL(url);
    otherName.searchParams.set('response-content-disposition', 'attachment; filename="x.html"');
    expect((await fetch(otherName)).status).toBe(403);

    const asDelete = await fetch(url, { method: 'DELETE' });
    expect(asDelete.status).toBe(403);
    expect(await contents(KEY)).toBe(BYTES.toString());
  });

  it('refuses a signed URL once it has expired', async () => {
    const url = await store.signedDownload(KEY, { expiresInSeconds: 1 });
    expect((await fetch(url)).status).toBe(200);
    await sleep(2100);
    expect(await answer(await fetch(url))).toEqual({ status: 403, code: 'AccessDenied' });
  });

  it('takes a presigned PUT from a store configured for PUT uploads, and only for its key', async () => {
    const putStore = storeWith({ uploadMethod: 'PUT' });
    const key = 'evidence/owner/put-upload';
    const signed = await putStore.signedUpload(key, {
      contentType: 'image/png',
      sizeBytes: 3,
      expiresInSeconds: 60,
    });
    const other = new URL(signed.url);
    other.pathname = other.pathname.replace(/[^/]+$/, 'first');
    expect((await fetch(other, { method: 'PUT', body: 'abc' })).status).toBe(403);
    expect(await contents(KEY)).toBe(BYTES.toString());
    // An unsigned x-amz-copy-source would turn the upload into a copy of any object.
    const copy = await fetch(signed.url, {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `/${BUCKET}/${KEY}` },
    });
    expect(copy.status).toBe(403);
    expect(await store.stat(key)).toBeNull();
    expect((await fetch(signed.url, { method: 'PUT', body: 'abc' })).status).toBe(200);
    expect(await contents(key)).toBe('abc');
  });
});

describe('presigned POST uploads', () => {
  type Field = { name: string; value: string };

  async function post(url: string, fields: Field[], bytes: Buffer) {
    const form = new FormData();
    for (const f of fields) form.append(f.name, f.value);
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'upload.png');
    return answer(await fetch(url, { method: 'POST', body: form }));
  }

  async function signedPost(key: string, sizeBytes: number, expiresInSeconds = 60) {
    return store.signedUpload(key, { contentType: 'image/png', sizeBytes, expiresInSeconds });
  }

  const replace = (fields: Field[], name: string, value: string) =>
    fields.map((f) => (f.name === name ? { ...f, value } : f));

  it('stores a file sent under its signed policy, with the declared type', async () => {
    const key = 'evidence/owner/posted';
    const bytes = Buffer.alloc(1000, 7);
    const u = await signedPost(key, bytes.length);
    expect(await post(u.url, u.formFields, bytes)).toEqual({ status: 204, code: null });
    expect(await store.stat(key)).toEqual({ size: bytes.length, contentType: 'image/png' });
  });

  it('refuses a tampered policy, a forged signature, and fields the policy does not allow', async () => {
    const key = 'evidence/owner/tampered';
    const bytes = Buffer.alloc(100, 1);
    const u = await signedPost(key, 10);
    const fields = Object.fromEntries(u.formFields.map((f) => [f.name, f.value]));
    const policy = Buffer.from(fields.policy!, 'base64')
      .toString('utf8')
      .replace('["content-length-range",10,10]', '["content-length-range",1,1000]');
    expect(policy).toContain('1000');

    const attempts: { fields: Field[]; code: string }[] = [
      {
        fields: replace(u.formFields, 'policy', Buffer.from(policy).toString('base64')),
        code: 'SignatureDoesNotMatch',
      },
      {
        fields: replace(u.formFields, 'x-amz-signature', flipLast(fields['x-amz-signature']!)),
        code: 'SignatureDoesNotMatch',
      },
      { fields: replace(u.formFields, 'key', 'evidence/owner/first'), code: 'AccessDenied' },
      { fields: replace(u.formFields, 'Content-Type', 'text/html'), code: 'AccessDenied' },
      {
        fields: [...u.formFields, { name: 'success_action_redirect', value: 'http://x.test/' }],
        code: 'AccessDenied',
      },
      { fields: u.formFields.filter((f) => f.name !== 'policy'), code: 'AccessDenied' },
      { fields: [{ name: 'key', value: key }], code: 'AccessDenied' },
    ];
    for (const a of attempts) {
      expect(await post(u.url, a.fields, bytes.subarray(0, 10))).toEqual({
        status: 403,
        code: a.code,
      });
    }
    expect(await store.stat(key)).toBeNull();
    expect(await contents(KEY)).toBe(BYTES.toString());

    // The same policy aimed at another bucket's URL.
    await minioWith(s.accessKey, s.secretKey).makeBucket('gate-other', s.region);
    const elsewhere = u.url.replace(new RegExp(`/${BUCKET}/?$`), '/gate-other');
    expect((await post(elsewhere, u.formFields, bytes.subarray(0, 10))).status).toBe(403);
  });

  it('refuses a file larger or smaller than the policy allows, and stores nothing', async () => {
    const key = 'evidence/owner/sized';
    const u = await signedPost(key, 2000);
    expect(await post(u.url, u.formFields, Buffer.alloc(2001))).toEqual({
      status: 400,
      code: 'EntityTooLarge',
    });
    expect(await post(u.url, u.formFields, Buffer.alloc(1999))).toEqual({
      status: 400,
      code: 'EntityTooSmall',
    });
    expect(await store.stat(key)).toBeNull();
    // Far past the 25 MiB ceiling: refused while it streams, not after buffering it all.
    const huge = await post(u.url, u.formFields, Buffer.alloc(30 * 1024 * 1024));
    expect(huge).toEqual({ status: 400, code: 'EntityTooLarge' });
    expect(await store.stat(key)).toBeNull();
  });

  it('stores only the signed key: fields after the file, and forms with too many fields, change nothing', async () => {
    const key = 'evidence/owner/ordered';
    const u = await signedPost(key, 10);
    const form = new FormData();
    for (const f of u.formFields) form.append(f.name, f.value);
    form.append('file', new Blob([Buffer.alloc(10, 3)]), 'a.png');
    form.append('key', KEY);
    const res = await fetch(u.url, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    expect(await store.stat(key)).toMatchObject({ size: 10 });
    expect(await contents(KEY)).toBe(BYTES.toString());

    const padded = [
      ...Array.from({ length: 100 }, (_, i) => ({ name: `x-ignore-${i}`, value: 'x' })),
      ...u.formFields.map((f) => (f.name === 'key' ? { ...f, value: KEY } : f)),
    ];
    expect((await post(u.url, padded, Buffer.alloc(10))).status).toBe(400);
    expect(await contents(KEY)).toBe(BYTES.toString());
  });

  it('takes the same signed POST again until it expires, as S3 does; a copy made in between keeps its bytes', async () => {
    const key = 'evidence/owner/sent-twice';
    const copyKey = 'evidence/checked/sent-twice/copy';
    const u = await signedPost(key, 10);
    expect(await post(u.url, u.formFields, Buffer.from('first one\n'))).toEqual({
      status: 204,
      code: null,
    });
    expect(await store.copy(key, copyKey, 'text/plain')).toBe(true);
    expect(await post(u.url, u.formFields, Buffer.from('second one'))).toEqual({
      status: 204,
      code: null,
    });
    expect(await contents(key)).toBe('second one');
    expect(await contents(copyKey)).toBe('first one\n');
    expect(await store.stat(copyKey)).toEqual({ size: 10, contentType: 'text/plain' });
  });

  it('refuses an anonymous form upload with no policy at all', async () => {
    const form = new FormData();
    form.append('key', 'evidence/owner/anonymous');
    form.append('Content-Type', 'image/png');
    form.append('file', new Blob([Buffer.alloc(10)]), 'a.png');
    expect(
      await answer(await fetch(`${s.endpoint}/${BUCKET}`, { method: 'POST', body: form })),
    ).toEqual({ status: 403, code: 'AccessDenied' });
    expect(await store.stat('evidence/owner/anonymous')).toBeNull();
  });

  it('refuses a policy once it has expired', async () => {
    const key = 'evidence/owner/late';
    const u = await signedPost(key, 10, 1);
    await sleep(2100);
    expect(await post(u.url, u.formFields, Buffer.alloc(10))).toEqual({
      status: 403,
      code: 'AccessDenied',
    });
    expect(await store.stat(key)).toBeNull();
  });
});

describe("the API's own client through the gate", () => {
  it('creates and finds buckets, writes, stats, reads ranges, copies, lists and deletes', async () => {
    const client = minioWith(s.accessKey, s.secretKey);
    expect(await client.bucketExists('gate-fresh')).toBe(false);
    await client.makeBucket('gate-fresh', s.region);
    expect(await client.bucketExists('gate-fresh')).toBe(true);

    const fresh = storeWith({ bucket: 'gate-fresh' });
    const key = 'recordings/call with spaces/ünïcode';
    const bytes = Buffer.from('0123456789abcdef');
    await fresh.put(key, bytes, 'audio/mpeg', bytes.length);
    expect(await fresh.stat(key)).toEqual({ size: bytes.length, contentType: 'audio/mpeg' });
    expect((await fresh.readRange(key, 10, 4)).toString()).toBe('abcd');

    const names: string[] = [];
    for await (const o of client.listObjectsV2('gate-fresh', 'recordings/', true)) {
      names.push((o as { name: string }).name);
    }
    expect(names).toEqual([key]);

    const url = await fresh.signedDownload(key, { expiresInSeconds: 60, fileName: 'ü.mp3' });
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(bytes)).toBe(true);

    // A server-side copy (a signed x-amz-copy-source), typed as asked rather than as the source.
    const copyKey = 'copies/call with spaces/ünïcode';
    expect(await fresh.copy(key, copyKey, 'audio/ogg')).toBe(true);
    expect(await fresh.stat(copyKey)).toEqual({ size: bytes.length, contentType: 'audio/ogg' });
    expect((await fresh.readRange(copyKey, 0, bytes.length)).equals(bytes)).toBe(true);
    expect(await fresh.copy('recordings/missing', 'copies/none', 'audio/ogg')).toBe(false);
    expect(await fresh.stat('copies/none')).toBeNull();
    expect((await fresh.list('')).sort()).toEqual([copyKey, key].sort());
    expect(await fresh.list('copies/')).toEqual([copyKey]);

    await fresh.delete(copyKey);
    await fresh.delete(key);
    expect(await fresh.stat(key)).toBeNull();
    expect(await fresh.list('')).toEqual([]);
    expect(await fresh.ping()).toBe(true);
  });
});
