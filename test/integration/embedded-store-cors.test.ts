import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MinioObjectStore } from '../../src/platform/minio-object-store';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/dev/embedded-object-store';

/**
 * A browser uploads evidence straight to the store with the signed POST and reads the answer,
 * so the embedded store speaks CORS: preflights are answered and responses name the origin.
 */

const ORIGIN = 'http://app.example.test';
let dir: string;
let s: EmbeddedStore;
let store: MinioObjectStore;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-store-cors-'));
  s = await startEmbeddedStore({ directory: dir });
  store = new MinioObjectStore({
    endPoint: s.endpoint,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    bucket: 'cors-test',
    region: s.region,
  });
  await store.ensureBucket();
});
afterAll(async () => {
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers a preflight for the bucket and for an object', async () => {
  for (const url of [`${s.endpoint}/cors-test`, `${s.endpoint}/cors-test/evidence/x`]) {
    const res = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
  }
});

it('lets a browser read the answer of a signed POST upload, and still checks the signature', async () => {
  const bytes = Buffer.from('browser upload\n');
  const signed = await store.signedUpload('evidence/owner/from-browser', {
    contentType: 'text/plain',
    sizeBytes: bytes.length,
    expiresInSeconds: 60,
  });
  const form = (fields: { name: string; value: string }[]) => {
    const f = new FormData();
    for (const { name, value } of fields) f.append(name, value);
    f.append('file', new Blob([bytes], { type: 'text/plain' }), 'note.txt');
    return f;
  };
  const ok = await fetch(signed.url, {
    method: 'POST',
    headers: { origin: ORIGIN },
    body: form(signed.formFields),
  });
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  expect(await store.stat('evidence/owner/from-browser')).toEqual({
    size: bytes.length,
    contentType: 'text/plain',
  });

  const forged = signed.formFields.map((f) =>
    f.name === 'key' ? { ...f, value: 'evidence/owner/elsewhere' } : f,
  );
  const refused = await fetch(signed.url, {
    method: 'POST',
    headers: { origin: ORIGIN },
    body: form(forged),
  });
  expect(refused.status).toBe(403);
  expect(await store.stat('evidence/owner/elsewhere')).toBeNull();
});

it('names only the allowed origins when given a list', async () => {
  const other = await startEmbeddedStore({
    directory: path.join(dir, 'listed'),
    corsOrigins: [ORIGIN],
  });
  try {
    const ask = (origin: string) =>
      fetch(`${other.endpoint}/any-bucket`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await ask(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const foreign = await ask('http://evil.example.test');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.status).not.toBe(204);
  } finally {
    await other.stop();
  }
});
