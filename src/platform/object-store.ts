import type { Readable } from 'node:stream';

/** A signed, short-lived way for a client to send bytes straight to the store. */
export interface SignedUpload {
  url: string;
  method: 'PUT' | 'POST';
  headers: { name: string; value: string }[];
  formFields: { name: string; value: string }[];
  expiresAt: Date;
}

export interface StoredObjectInfo {
  size: number;
  contentType: string | null;
}

/**
 * Everything the app asks of object storage. Built on the `minio` client against any
 * S3-compatible store (MinIO in production, an embedded S3 server locally and in tests).
 */
export interface ObjectStore {
  readonly bucket: string;
  /** Creates the bucket if missing; it stays private. */
  ensureBucket(): Promise<void>;
  put(key: string, body: Buffer | Readable, contentType: string, size?: number): Promise<void>;
  /** Uploads a stream of unknown length without holding it in memory (in parts). */
  putStream(key: string, body: Readable, contentType: string): Promise<void>;
  /** null when there is no such object. */
  stat(key: string): Promise<StoredObjectInfo | null>;
  /** Bytes [start, start+length) of the object. */
  readRange(key: string, start: number, length: number): Promise<Buffer>;
  signedUpload(
    key: string,
    opts: { contentType: string; sizeBytes: number; expiresInSeconds: number },
  ): Promise<SignedUpload>;
  signedDownload(
    key: string,
    opts: { expiresInSeconds: number; fileName?: string; contentType?: string },
  ): Promise<string>;
  /**
   * A server-side copy of `from` at `to`, typed `contentType`; false when `from` does not exist.
   * The copy is an object of its own: later writes to `from` never reach it.
   */
  copy(from: string, to: string, contentType: string): Promise<boolean>;
  /** The keys of every object whose key starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** For /readyz: true when the store answers. */
  ping(): Promise<boolean>;
}
