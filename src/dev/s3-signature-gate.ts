import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A gate in front of an S3-compatible handler that lets through only requests signed with one
 * key pair (AWS Signature Version 4): header-signed requests, presigned URLs and browser POST
 * uploads under a signed policy. The signature math is @smithy/signature-v4's; this module only
 * rebuilds the request the client must have signed and compares.
 */
export interface SignatureGateOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** Largest file one POST upload may carry, whatever its policy allows. */
  maxPostFileBytes?: number;
}

type Query = Record<string, string | string[]>;
type HttpRequest = Parameters<SignatureV4['presign']>[0];

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3's limits: header-signed requests within 15 minutes of their date, presigned URLs a week. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const DEFAULT_MAX_POST_FILE_BYTES = 25 * 1024 * 1024;
/** The form fields before the file (policy, signature, key...) are small. */
const MAX_POST_PREAMBLE_BYTES = 256 * 1024;
const MAX_POST_FIELD_BYTES = 64 * 1024;
/** A refused upload is read to its end (so the client sees the answer) up to this much. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** Form field names as S3 knows them; nothing that could break out of a rebuilt part header. */
const FIELD_NAME = /^[A-Za-z0-9_.$-]{1,100}$/;
const PAYLOAD_HASH = /^(UNSIGNED-PAYLOAD|[0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Why a request is refused, as S3 would say it. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const denied = (message: string) => new Refusal(403, 'AccessDenied', message);
const tooLarge = () =>
  new Refusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
const mismatch = () =>
  new Refusal(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
  );

interface Target {
  /** Exactly as sent: the signature covers the encoded path, and S3 signs it unnormalized. */
  path: string;
  query: Query;
  hasQuery: boolean;
}

function parseTarget(url: string): Target {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query: Query = {};
  const raw = at < 0 ? '' : url.slice(at + 1);
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      // No '+' to space: S3 clients encode spaces as %20 and sign '+' as %2B.
      name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw new Refusal(400, 'InvalidArgument', 'The query string is not valid percent-encoding.');
    }
    const prev = query[name];
    query[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return { path: path || '/', query, hasQuery: raw.length > 0 };
}

function parseAmzDate(value: string | undefined): Date {
  const m = value === undefined ? null : AMZ_DATE.exec(value);
  if (!m) throw denied('X-Amz-Date must be in the ISO 8601 basic format yyyyMMddTHHmmssZ.');
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (Number.isNaN(date.getTime())) throw denied('X-Amz-Date is not a valid date.');
  return date;
}

interface Credential {
  accessKeyId: string;
  shortDate: string;
  region: string;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw denied(`${name} is given more than once.`);
  return v ?? undefined;
}

/** The signed-headers list, as given: lower case, sorted, no repeats; always with `host`. */
function parseSignedHeaders(value: string | undefined): string[] {
  const names = (value ?? '').split(';');
  const canonical = [...new Set(names.map((n) => n.trim().toLowerCase()))].sort();
  if (!value || names.join(';') !== canonical.join(';') || !canonical.includes('host')) {
    throw denied('SignedHeaders must list the signed headers in order and include host.');
  }
  return names;
}

/** Lets through the requests signed with the given key; answers every other one 403 itself. */
export function createSignatureGate(
  options: SignatureGateOptions,
  upstream: RequestListener,
): RequestListener {
  const maxPostFileBytes = options.maxPostFileBytes ?? DEFAULT_MAX_POST_FILE_BYTES;
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Replaced per request by the region named in the request's credential scope.
    region: 'us-east-1',
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    // S3 signs the path as sent, without normalizing or encoding it again.
    uriEscapePath: false,
    applyChecksum: false,
  });

  function parseCredential(value: string | undefined, date: Date): Credential {
    const parts = (value ?? '').split('/');
    if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request') {
      throw denied('The credential must be <key>/<yyyyMMdd>/<region>/s3/aws4_request.');
    }
    const [accessKeyId, shortDate, region] = parts as [string, string, string];
    if (accessKeyId !== options.accessKeyId) {
      throw new Refusal(403, 'InvalidAccessKeyId', 'The access key id is not known here.');
    }
    if (shortDate !== date.toISOString().slice(0, 10).replace(/-/g, '')) {
      throw denied("The credential's date is not the request's date.");
    }
    if (!/^[a-z0-9-]{1,64}$/.test(region)) throw denied('The credential names no valid region.');
    return { accessKeyId, shortDate, region };
  }

  function signedHeaderValues(req: IncomingMessage, names: string[]): Record<string, string> {
    // As S3 does: an x-amz-* header changes what a request does (x-amz-copy-source turns a
    // PUT into a copy), so none may ride along unsigned.
    for (const name of Object.keys(req.headers)) {
      if (name.startsWith('x-amz-') && !names.includes(name)) {
        throw denied(`There were headers present in the request which were not signed: ${name}`);
      }
    }
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = headerValue(req, name);
      if (value === undefined) throw denied(`The signed header ${name} is missing.`);
      headers[name] = value;
    }
    return headers;
  }

  /** Presigned URL: X-Amz-* query parameters, valid until X-Amz-Date + X-Amz-Expires. */
  async function verifyPresigned(req: IncomingMessage, target: Target): Promise<void> {
    const q = target.query;
    if (single(q, 'X-Amz-Algorithm') !== ALGORITHM)
      throw denied(`X-Amz-Algorithm must be ${ALGORITHM}.`);
    const dateText = single(q, 'X-Amz-Date');
    const date = parseAmzDate(dateText);
    const credentialText = single(q, 'X-Amz-Credential');
    const credential = parseCredential(credentialText, date);
    const expiresText = single(q, 'X-Amz-Expires') ?? '';
    const expires = /^[1-9]\d{0,6}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expires <= MAX_PRESIGNED_SECONDS)) {
      throw denied(`X-Amz-Expires must be 1 to ${MAX_PRESIGNED_SECONDS} seconds.`);
    }
    const now = Date.now();
    if (now > date.getTime() + expires * 1000) throw denied('Request has expired');
    if (date.getTime() - now > MAX_CLOCK_SKEW_MS) throw denied('Request is not valid yet');
    const signedHeadersText = single(q, 'X-Amz-SignedHeaders');
    const signedHeaders = parseSignedHeaders(signedHeadersText);
    const given = single(q, 'X-Amz-Signature') ?? '';

    const query = { ...q };
    delete query['X-Amz-Signature'];
    const headers = signedHeaderValues(req, signedHeaders);
    // A presigned request's payload is never hashed (UNSIGNED-PAYLOAD), and the header only
    // tells the signer so; it is not one of the signed headers.
    const sha = 'x-amz-content-sha256';
    const hashSigned = signedHeaders.includes(sha);
    if (!hashSigned) headers[sha] = 'UNSIGNED-PAYLOAD';
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: target.path,
      query,
      headers,
    };
    const signed = await signer.presign(request, {
      signingDate: date,
      expiresIn: expires,
      signingRegion: credential.region,
      signingService: 's3',
      // Signed headers stay headers, as the client sent them.
      unhoistableHeaders: new Set([...signedHeaders, sha]),
      unsignableHeaders: hashSigned ? undefined : new Set([sha]),
      signableHeaders: new Set(signedHeaders),
    });
    const expected = signed.query ?? {};
    if (
      expected['X-Amz-Date'] !== dateText ||
      expected['X-Amz-Credential'] !== credentialText ||
      expected['X-Amz-Expires'] !== expiresText ||
      expected['X-Amz-SignedHeaders'] !== signedHeadersText ||
      !sameSecret(String(expected['X-Amz-Signature']), given)
    ) {
      throw mismatch();
    }
  }

  /** Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=... */
  async function verifyHeaderSigned(
    req: IncomingMessage,
    target: Target,
    authorization: string,
  ): Promise<void> {
    const m =
      /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/.exec(
        authorization.trim(),
      );
    if (!m) throw denied(`The Authorization header must be a ${ALGORITHM} signature.`);
    const [, credentialText, signedHeadersText, given] = m as unknown as [
      string,
      string,
      string,
      string,
    ];
    const dateText = headerValue(req, 'x-amz-date');
    const date = parseAmzDate(dateText);
    const credential = parseCredential(credentialText, date);
    if (Math.abs(Date.now() - date.getTime()) > MAX_CLOCK_SKEW_MS) {
      throw new Refusal(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    }
    const signedHeaders = parseSignedHeaders(signedHeadersText);
    const payloadHash = headerValue(req, 'x-amz-content-sha256');
    // The declared payload hash is trusted as signed (see docs/object-storage.md); chunk-signed
    // streaming uploads are not supported because their chunk signatures would go unchecked.
    if (
      !payloadHash ||
      !PAYLOAD_HASH.test(payloadHash) ||
      !signedHeaders.includes('x-amz-content-sha256') ||
      !signedHeaders.includes('x-amz-date')
    ) {
      throw denied(
        'x-amz-content-sha256 (a SHA-256 or UNSIGNED-PAYLOAD) and x-amz-date must be signed.',
      );
    }
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: headerValue(req, 'host') ?? '',
      path: target.path,
      query: target.query,
      headers: signedHeaderValues(req, signedHeaders),
    };
    const signed = await signer.sign(request, {
      signingDate: date,
      signingRegion: credential.region,
      signingService: 's3',
      signableHeaders: new Set(signedHeaders),
    });
    const expected = `${ALGORITHM} Credential=${credentialText}, SignedHeaders=${signedHeadersText}, Signature=`;
    const auth = String(signed.headers.authorization ?? '');
    if (!auth.startsWith(expected) || !sameSecret(auth.slice(expected.length), given)) {
      throw mismatch();
    }
  }

  /** The POST policy's signature, expiry and conditions, checked once the fields before the file are in. */
  async function checkPolicy(
    fields: Map<string, string>,
    bucket: string,
  ): Promise<{ min: number; max: number }> {
    const field = (name: string) => fields.get(name.toLowerCase());
    const policyText = field('policy');
    if (!policyText)
      throw denied('Anonymous uploads are not allowed; a signed policy is required.');
    if (field('x-amz-algorithm') !== ALGORITHM)
      throw denied(`x-amz-algorithm must be ${ALGORITHM}.`);
    const date = parseAmzDate(field('x-amz-date'));
    const credential = parseCredential(field('x-amz-credential'), date);
    const signature = await signer.sign(policyText, {
      signingDate: date,
      signingRegion: credential.region,
      signingService: 's3',
    });
    if (!sameSecret(signature, field('x-amz-signature') ?? '')) throw mismatch();

    // Only now, under a valid signature, is the policy's content worth reading.
    let policy: { expiration?: unknown; conditions?: unknown };
    try {
      policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
    } catch {
      throw new Refusal(400, 'InvalidPolicyDocument', 'The policy is not valid JSON.');
    }
    const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
    if (!(expiration > Date.now())) throw denied('Invalid according to Policy: Policy expired.');
    if (!Array.isArray(policy.conditions)) {
      throw new Refusal(400, 'InvalidPolicyDocument', 'The policy has no conditions.');
    }
    if (fields.has('bucket') && field('bucket') !== bucket) {
      throw denied('Invalid according to Policy: the form names another bucket.');
    }

    const covered = new Set(['policy', 'x-amz-signature', 'file']);
    let min = 0;
    let max = maxPostFileBytes;
    const failed = (what: string) =>
      denied(`Invalid according to Policy: Policy Condition failed: ${what}`);
    for (const c of policy.conditions as unknown[]) {
      let op: unknown;
      let name: unknown;
      let value: unknown;
      if (Array.isArray(c) && c.length === 3) {
        [op, name, value] = c as unknown[];
      } else if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 1) {
        const [k, v] = Object.entries(c)[0]!;
        [op, name, value] = ['eq', `$${k}`, v];
      } else {
        throw new Refusal(400, 'InvalidPolicyDocument', 'A policy condition is malformed.');
      }
      if (op === 'content-length-range') {
        const lo = Number(name);
        const hi = Number(value);
        if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo < 0 || hi < lo) {
          throw new Refusal(400, 'InvalidPolicyDocument', 'content-length-range is malformed.');
        }
        min = Math.max(min, lo);
        max = Math.min(max, hi);
        continue;
      }
      if (
        (op !== 'eq' && op !== 'starts-with') ||
        typeof name !== 'string' ||
        !name.startsWith('$') ||
        typeof value !== 'string'
      ) {
        throw new Refusal(400, 'InvalidPolicyDocument', 'A policy condition is malformed.');
      }
      const key = name.slice(1).toLowerCase();
      covered.add(key);
      const actual = key === 'bucket' ? bucket : (field(key) ?? '');
      const ok = op === 'eq' ? actual === value : actual.startsWith(value);
      if (!ok)
        throw failed(`[${JSON.stringify(op)}, ${JSON.stringify(name)}, ${JSON.stringify(value)}]`);
    }
    if (fields.get('key') === undefined || !covered.has('key')) {
      throw failed('the policy must name the key');
    }
    for (const name of fields.keys()) {
      if (!covered.has(name) && !name.startsWith('x-ignore-')) {
        throw denied(`Invalid according to Policy: Extra input fields: ${name}`);
      }
    }
    return { min, max };
  }

  /**
   * Reads a browser POST upload and checks its policy as soon as the file part starts. What
   * goes on to s3rver is a form rebuilt from the checked fields and the file alone, so s3rver's
   * own (older) multipart parser cannot read anything the gate did not.
   */
  function receivePostUpload(req: IncomingMessage, bucket: string): Promise<CheckedUpload> {
    return new Promise((resolve, reject) => {
      const fields = new Map<string, string>();
      const ordered: [string, string][] = [];
      const file: Buffer[] = [];
      let received = 0;
      let fileBytes = 0;
      let fileSeen = false;
      let limits: Promise<{ min: number; max: number }> | undefined;
      // The policy's own maximum once it is known: a file is cut off as soon as it passes it.
      let maxFileBytes = maxPostFileBytes;
      let settled = false;

      const malformed = (message: string) => new Refusal(400, 'MalformedPOSTRequest', message);
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        file.length = 0;
        parser.removeAllListeners();
        parser.on('error', () => undefined);
        reject(err);
      };
      const onFile = () => {
        fileSeen = true;
        // s3rver reads the object key from a field named exactly "key".
        if (!ordered.some(([name]) => name === 'key')) fields.delete('key');
        limits = checkPolicy(fields, bucket);
        limits.then(({ max }) => {
          maxFileBytes = max;
          if (fileBytes > max) fail(tooLarge());
        }, fail);
      };
      const addFileBytes = (chunk: Buffer) => {
        fileBytes += chunk.length;
        if (fileBytes > maxFileBytes) return fail(tooLarge());
        file.push(chunk);
      };

      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { fieldSize: MAX_POST_FIELD_BYTES, fields: 100, parts: 200 },
        });
      } catch {
        reject(malformed('The body is not multipart/form-data.'));
        return;
      }
      const overLimit = () => fail(malformed('The form has too many parts.'));
      parser.on('fieldsLimit', overLimit);
      parser.on('partsLimit', overLimit);
      parser.on('field', (name, value, info) => {
        // As in S3, everything after the file is ignored.
        if (fileSeen || settled) return;
        if (info.nameTruncated || info.valueTruncated) {
          return fail(malformed(`The form field ${name} is too long.`));
        }
        if (!FIELD_NAME.test(name)) return fail(malformed('A form field has an invalid name.'));
        // A file part without a file name arrives as a field.
        if (name === 'file') {
          onFile();
          return addFileBytes(Buffer.from(value));
        }
        const lower = name.toLowerCase();
        if (fields.has(lower)) {
          return fail(
            new Refusal(400, 'InvalidArgument', `The form field ${name} is given twice.`),
          );
        }
        fields.set(lower, value);
        ordered.push([name, value]);
      });
      parser.on('file', (name, stream) => {
        if (fileSeen || settled || name !== 'file') {
          stream.resume();
          return;
        }
        onFile();
        stream.on('data', (chunk: Buffer) => {
          if (!settled) addFileBytes(chunk);
        });
      });
      parser.on('error', () => fail(malformed('The body is not well-formed multipart/form-data.')));
      parser.on('close', () => {
        if (settled) return;
        if (!fileSeen || !limits) {
          return fail(
            new Refusal(
              400,
              'InvalidArgument',
              'POST requires exactly one file upload per request.',
            ),
          );
        }
        limits.then(({ min, max }) => {
          if (fileBytes > max) {
            fail(tooLarge());
          } else if (fileBytes < min) {
            fail(
              new Refusal(
                400,
                'EntityTooSmall',
                'Your proposed upload is smaller than the minimum allowed size.',
              ),
            );
          } else if (!settled) {
            settled = true;
            resolve({ fields: ordered, file });
          }
        }, fail);
      });

      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (!fileSeen && received > MAX_POST_PREAMBLE_BYTES) {
          return fail(
            denied('Anonymous uploads are not allowed; a signed policy must come before the file.'),
          );
        }
        if (received > maxPostFileBytes + MAX_POST_PREAMBLE_BYTES) return fail(tooLarge());
        parser.write(chunk);
      });
      req.on('end', () => {
        if (!settled) parser.end();
      });
      req.on('error', fail);
    });
  }

  function refuse(req: IncomingMessage, res: ServerResponse, err: Refusal): void {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>` +
      `<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
    if (!res.headersSent) {
      res.writeHead(err.status, {
        'Content-Type': 'application/xml',
        'Content-Length': Buffer.byteLength(body),
      });
    }
    res.end(req.method === 'HEAD' ? undefined : body);
    // Read what is left of the body so the client gets the answer rather than a reset, up to
    // a bound past which the connection is cut.
    if (!req.complete) {
      let drained = 0;
      req.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > MAX_DRAIN_BYTES) req.socket.destroy();
      });
      req.resume();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url ?? '/');
    // CORS preflights carry no credentials and read or change nothing.
    if (req.method === 'OPTIONS') return void upstream(req, res);

    const authorization = headerValue(req, 'authorization');
    const presigned = 'X-Amz-Algorithm' in target.query || 'X-Amz-Signature' in target.query;
    if (authorization !== undefined && presigned) {
      throw denied('Only one auth mechanism allowed.');
    }
    if (authorization !== undefined) {
      await verifyHeaderSigned(req, target, authorization);
      return void upstream(req, res);
    }
    if (presigned) {
      await verifyPresigned(req, target);
      return void upstream(req, res);
    }
    const bucket = /^\/([^/]+)\/?$/.exec(target.path)?.[1];
    const isForm = /^multipart\/form-data/i.test(headerValue(req, 'content-type') ?? '');
    if (req.method === 'POST' && bucket && !target.hasQuery && isForm) {
      let name: string;
      try {
        name = decodeURIComponent(bucket);
      } catch {
        throw new Refusal(400, 'InvalidBucketName', 'The bucket name is not valid.');
      }
      const upload = await receivePostUpload(req, name);
      return void upstream(rebuiltForm(req, upload), res);
    }
    throw denied('Anonymous access is not allowed; the request must be signed.');
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      refuse(
        req,
        res,
        err instanceof Refusal
          ? err
          : new Refusal(
              500,
              'InternalError',
              'We encountered an internal error. Please try again.',
            ),
      );
    });
  };
}

interface CheckedUpload {
  /** The form fields before the file, in order, as the gate read them. */
  fields: [string, string][];
  file: Buffer[];
}

/** The checked upload as a fresh request for the upstream handler: the fields, then the file. */
function rebuiltForm(req: IncomingMessage, upload: CheckedUpload): IncomingMessage {
  const boundary = `----gate${randomBytes(24).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of upload.fields) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    ...upload.file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const length = parts.reduce((n, p) => n + p.length, 0);
  const headers = {
    ...req.headers,
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(length),
  };
  delete headers['transfer-encoding'];
  const stream = Readable.from(parts, { objectMode: false });
  return Object.assign(stream, {
    method: req.method,
    url: req.url,
    headers,
    rawHeaders: Object.entries(headers).flatMap(([k, v]) => [k, String(v)]),
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
    trailers: {},
    rawTrailers: [],
  }) as unknown as IncomingMessage;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
