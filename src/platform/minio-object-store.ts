import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import type { ObjectStore, SignedUpload, StoredObjectInfo } from './object-store';

export interface MinioObjectStoreOptions {
  /** e.g. `http://127.0.0.1:9000`; the scheme decides TLS, the port defaults to the scheme's. */
  endPoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /**
   * How clients upload. POST (a signed policy form) lets the store itself enforce the exact
   * content type and size; PUT (a presigned URL) cannot enforce either, so the app must check
   * the object after the upload. Defaults to POST.
   */
  uploadMethod?: 'POST' | 'PUT';
  /**
   * Bounds every call to the store: a connection silent this long is closed, and stat and
   * readRange (which createDispute waits on) give up after this long in total. Defaults to
   * STORE_TIMEOUT_MS.
   */
  timeoutMs?: number;
}

/** A store that stops answering fails a call within this long instead of holding it forever. */
export const STORE_TIMEOUT_MS = 5000;

/** Signed URLs stay short-lived: a leaked link is useless after this long. */
export const MAX_SIGNED_URL_SECONDS = 15 * 60;

const PING_TIMEOUT_MS = 2000;
/** A part of a streamed upload (S3 wants at least 5 MiB for every part but the last). */
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
const MAX_FILE_NAME_LENGTH = 255;

/**
 * The client's file name cleaned for display and headers: no directory parts, no control
 * characters, no quotes or backslashes, no leading dots, whitespace collapsed. Not truncated;
 * '' when nothing is left.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  return (
    base
      .normalize('NFC')
      // Tabs and line breaks become spaces first; other control characters go.
      .replace(/\s+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f"\\]/g, '')
      .replace(/ {2,}/g, ' ')
      .trim()
      // Leading dots would make a hidden file or "..".
      .replace(/^\.+/, '')
      .trim()
  );
}

/**
 * A file name safe to put in a Content-Disposition header: cleanFileName, at most 255
 * characters, never empty.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = cleanFileName(name);
  // Cut on code points so a surrogate pair is never split.
  let truncated = '';
  for (const ch of cleaned) {
    if (truncated.length + ch.length > MAX_FILE_NAME_LENGTH) break;
    truncated += ch;
  }
  return truncated.trim() || 'file';
}

/** `attachment` with an ASCII fallback name plus the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function attachmentDisposition(fileName: string): string {
  const safe = sanitizeFileName(fileName);
  const ascii =
    safe
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]/gu, '_')
      .replace(/[%;]/g, '_') || 'file';
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function clampExpiry(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 1) return 1;
  return Math.min(Math.floor(seconds), MAX_SIGNED_URL_SECONDS);
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  }
  return Buffer.concat(chunks);
}

export class StoreTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`The object store did not answer ${what} within ${ms} ms.`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * An agent whose sockets close after `ms` without traffic: the minio client sets no timeout,
 * so a store that accepts and never answers would otherwise hold the request (and its
 * socket) forever. Closing the socket fails the pending call with an error.
 */
function silentSocketsCloseAgent(useSSL: boolean, ms: number): http.Agent {
  const agent = useSSL
    ? new https.Agent({ keepAlive: true, timeout: ms })
    : new http.Agent({ keepAlive: true, timeout: ms });
  const open = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = open(options, callback);
    socket?.on('timeout', () => socket.destroy(new StoreTimeoutError('on a connection', ms)));
    return socket;
  };
  return agent;
}

/** `work`, or StoreTimeoutError once `ms` have passed (the caller closes what `work` opened). */
async function within<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(what, ms)), ms);
  });
  try {
    // race handles a late rejection of `work` too, so none goes unhandled.
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export class MinioObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly uploadMethod: 'POST' | 'PUT';
  private readonly client: Client;
  private readonly region: string;
  private readonly timeoutMs: number;

  constructor(opts: MinioObjectStoreOptions) {
    const url = new URL(opts.endPoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`Object store endpoint must be http(s): ${opts.endPoint}`);
    }
    const useSSL = url.protocol === 'https:';
    this.bucket = opts.bucket;
    this.region = opts.region;
    this.uploadMethod = opts.uploadMethod ?? 'POST';
    this.timeoutMs = opts.timeoutMs ?? STORE_TIMEOUT_MS;
    this.client = new Client({
      // URL keeps brackets around IPv6 hosts; minio wants the bare address.
      endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: opts.accessKey,
      secretKey: opts.secretKey,
      // A fixed region skips the GetBucketLocation round trip before every signature.
      region: opts.region,
      pathStyle: true,
      transportAgent: silentSocketsCloseAgent(useSSL, this.timeoutMs),
    });
  }

  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (err) {
      // Another instance may have created it in between.
      const code = (err as { code?: unknown }).code;
      if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
    }
  }

  async put(
    key: string,
    body: Buffer | Readable,
    contentType: string,
    size?: number,
  ): Promise<void> {
    await this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType });
  }

  /**
   * Uploads a stream of unknown length holding one part (8 MiB) in memory: one PUT when it fits
   * in a part, a multipart upload otherwise (aborted when anything fails). The client's own
   * streaming put first lists the bucket's incomplete uploads, which not every S3-compatible
   * store answers (the embedded one does not). The part is one buffer, filled in place and sent
   * when full, then filled again: a long upload allocates no buffer per part or per chunk (a
   * million-row export's parts, left to the garbage collector, held over 100 MiB outside the
   * heap on Node 24).
   */
  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const headers = { 'Content-Type': contentType };
    let uploadId: string | null = null;
    const etags: { part: number; etag: string }[] = [];
    const part = Buffer.allocUnsafe(UPLOAD_PART_BYTES);
    let filled = 0;
    const flush = async () => {
      uploadId ??= await this.client.initiateNewMultipartUpload(this.bucket, key, headers);
      const partNumber = etags.length + 1;
      // Resolved once the store has answered: the buffer is free to fill again.
      const { etag } = await this.client.uploadPart(
        {
          bucketName: this.bucket,
          objectName: key,
          uploadID: uploadId,
          partNumber,
          headers: {},
        },
        part.subarray(0, filled),
      );
      etags.push({ part: partNumber, etag });
      filled = 0;
    };
    /** Copies `bytes` into the part, sending each part as it fills. */
    const append = async (bytes: Buffer) => {
      let from = 0;
      while (from < bytes.length) {
        const n = bytes.copy(part, filled, from);
        filled += n;
        from += n;
        if (filled === UPLOAD_PART_BYTES) await flush();
      }
    };
    try {
      for await (const chunk of body) {
        if (typeof chunk === 'string') {
          // Written straight into the part when it fits; otherwise encoded once and copied.
          if (Buffer.byteLength(chunk) <= UPLOAD_PART_BYTES - filled) {
            filled += part.write(chunk, filled);
            if (filled === UPLOAD_PART_BYTES) await flush();
          } else {
            await append(Buffer.from(chunk));
          }
        } else {
          await append(chunk as Buffer);
        }
      }
      if (uploadId === null) {
        await this.client.putObject(this.bucket, key, part.subarray(0, filled), filled, headers);
        return;
      }
      if (filled > 0) await flush();
      await this.client.completeMultipartUpload(this.bucket, key, uploadId, etags);
    } catch (err) {
      if (uploadId !== null) {
        await this.client.abortMultipartUpload(this.bucket, key, uploadId).catch(() => undefined);
      }
      throw err;
    }
  }

  async stat(key: string): Promise<StoredObjectInfo | null> {
    try {
      const s = await within('a stat', this.timeoutMs, this.client.statObject(this.bucket, key));
      const meta = s.metaData as Record<string, unknown>;
      const contentType = meta['content-type'];
      return { size: s.size, contentType: typeof contentType === 'string' ? contentType : null };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async readRange(key: string, start: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    // One deadline for the headers and the body; a stream that is late or stalls is closed.
    let abandoned = false;
    let stream: Readable | undefined;
    const read = this.client.getPartialObject(this.bucket, key, start, length).then((s) => {
      stream = s;
      if (abandoned) s.destroy();
      return readAll(s);
    });
    try {
      return await within('a read', this.timeoutMs, read);
    } catch (err) {
      abandoned = true;
      stream?.destroy();
      throw err;
    }
  }

  async signedUpload(
    key: string,
    opts: { contentType: string; sizeBytes: number; expiresInSeconds: number },
  ): Promise<SignedUpload> {
    const seconds = clampExpiry(opts.expiresInSeconds);
    const expiresAt = new Date(Date.now() + seconds * 1000);

    if (this.uploadMethod === 'PUT') {
      const url = await this.client.presignedPutObject(this.bucket, key, seconds);
      return {
        url,
        method: 'PUT',
        // Not signed: the client must send it so the object gets the right type.
        headers: [{ name: 'Content-Type', value: opts.contentType }],
        formFields: [],
        expiresAt,
      };
    }

    const policy = this.client.newPostPolicy();
    policy.setBucket(this.bucket);
    policy.setKey(key);
    policy.setContentType(opts.contentType);
    policy.setContentLengthRange(opts.sizeBytes, opts.sizeBytes);
    policy.setExpires(expiresAt);
    const { postURL, formData } = await this.client.presignedPostPolicy(policy);
    return {
      url: postURL,
      method: 'POST',
      headers: [],
      // S3 ignores every field after "file", so the client appends the file last.
      formFields: Object.entries(formData).map(([name, value]) => ({
        name,
        value: String(value),
      })),
      expiresAt,
    };
  }

  async signedDownload(
    key: string,
    opts: { expiresInSeconds: number; fileName?: string; contentType?: string },
  ): Promise<string> {
    const params: Record<string, string> = {
      'response-content-disposition': attachmentDisposition(opts.fileName ?? key),
    };
    if (opts.contentType) params['response-content-type'] = opts.contentType;
    return this.client.presignedGetObject(
      this.bucket,
      key,
      clampExpiry(opts.expiresInSeconds),
      params,
    );
  }

  async copy(from: string, to: string, contentType: string): Promise<boolean> {
    const source = new CopySourceOptions({ Bucket: this.bucket, Object: from });
    // REPLACE: the copy gets the type given here, not whatever the source was sent with.
    const target = new CopyDestinationOptions({
      Bucket: this.bucket,
      Object: to,
      MetadataDirective: 'REPLACE',
      Headers: { 'Content-Type': contentType },
    });
    try {
      await within('a copy', this.timeoutMs, this.client.copyObject(source, target));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
      if (item.name) keys.push(item.name);
    }
    return keys;
  }

  async delete(key: string): Promise<void> {
    await within('a delete', this.timeoutMs, this.client.removeObject(this.bucket, key));
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.client.bucketExists(this.bucket), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
