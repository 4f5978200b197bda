import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { mayView } from '../auth/visibility';
import { isUuid } from '../platform/ids';
import { badInput, DomainError, ErrorCode } from '../platform/errors';
import { checkTextLength } from '../platform/text-input';
import { EvidenceEntity } from './evidence.entity';
import type { ObjectStore } from '../platform/object-store';
import { cleanFileName } from '../platform/minio-object-store';
import {
  canonicalContentType,
  EVIDENCE_CONTENT_TYPES,
  EXTENSION_OF,
  MAX_EVIDENCE_BYTES,
  verifyContent,
  type EvidenceContentType,
} from './evidence-content';
import type { CreateEvidenceUploadInput, EvidenceUpload } from './evidence.types';
import { evidenceKey, newCheckedKey } from './evidence-keys';
import { BIND_EVIDENCE, NAMED_OBJECT_KEYS } from './evidence.queries';

/** Signed download URLs live at most this long (the contract allows 15 minutes). */
export const DOWNLOAD_TTL_SECONDS = 10 * 60;
/** Signed uploads must start within this long (the contract allows 15 minutes). */
export const UPLOAD_TTL_SECONDS = 10 * 60;

export const MAX_EVIDENCE_PER_DISPUTE = 10;
const MAX_FILE_NAME_LENGTH = 255;
/** How long createEvidenceUpload waits for the store to answer before calling it down. */
const STORE_CHECK_TIMEOUT_MS = 3000;

/**
 * INTERNAL_SERVER_ERROR with a message the client can act on: the formatter passes a
 * DomainError through as is, while an unexpected error would read "something went wrong".
 */
const storeUnavailable = (message: string) =>
  new DomainError(ErrorCode.INTERNAL_SERVER_ERROR, message);
const UPLOADS_UNAVAILABLE =
  'File uploads are unavailable right now; try again shortly. Disputes without evidence still work.';
const CHECK_UNAVAILABLE =
  'Evidence files cannot be checked right now because file storage is unavailable; try again shortly, or send the dispute without evidence.';

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * True when the store answers and holds the bucket. Signing needs no round trip (the region is
 * fixed), so without this a dead store would hand out uploads that can only fail. A bucket
 * missing because the store was down when the server started is created here.
 */
async function storeReady(store: ObjectStore): Promise<boolean> {
  if (await store.ping()) return true;
  return withTimeout(
    store.ensureBucket().then(
      () => true,
      () => false,
    ),
    STORE_CHECK_TIMEOUT_MS,
    false,
  );
}

// ---------------------------------------------------------------- uploading

interface CleanUploadInput {
  fileName: string;
  contentType: EvidenceContentType;
  sizeBytes: number;
}

function cleanUploadInput(input: CreateEvidenceUploadInput): CleanUploadInput {
  const fileName = cleanFileName(input.fileName);
  if (!fileName)
    throw badInput(
      'fileName',
      'must name the file (it is empty once cleaned of paths and control characters).',
    );
  checkTextLength('fileName', fileName, MAX_FILE_NAME_LENGTH);
  const contentType = canonicalContentType(input.contentType);
  if (!contentType) {
    throw badInput(
      'contentType',
      `"${input.contentType.slice(0, 100)}" is not accepted; use one of ${EVIDENCE_CONTENT_TYPES.join(', ')}.`,
    );
  }
  const size = input.sizeBytes;
  if (!Number.isInteger(size) || size < 1 || size > MAX_EVIDENCE_BYTES) {
    throw badInput('sizeBytes', `must be 1 to ${MAX_EVIDENCE_BYTES} bytes (25 MiB); got ${size}.`);
  }
  return { fileName, contentType, sizeBytes: size };
}

/**
 * Checks the declared file, signs an upload for a key of the server's choosing and records a
 * pending evidence row owned by the viewer. The row is written only once signing worked, so a
 * store outage leaves nothing behind. Rows never named by a dispute are swept after
 * EVIDENCE_TTL_HOURS (evidence-sweep.ts).
 */
export async function createEvidenceUpload(
  ctx: Context,
  viewer: Viewer,
  raw: CreateEvidenceUploadInput,
): Promise<EvidenceUpload> {
  const input = cleanUploadInput(raw);
  const { store } = ctx.app;
  if (!(await storeReady(store))) throw storeUnavailable(UPLOADS_UNAVAILABLE);

  const id = randomUUID();
  const objectKey = evidenceKey(viewer.id, id);
  let signed;
  try {
    signed = await store.signedUpload(objectKey, {
      contentType: input.contentType,
      sizeBytes: input.sizeBytes,
      expiresInSeconds: UPLOAD_TTL_SECONDS,
    });
  } catch (err) {
    ctx.log.warn({ err }, 'signing an evidence upload failed');
    throw storeUnavailable(UPLOADS_UNAVAILABLE);
  }
  await ctx.app.ds.getRepository(EvidenceEntity).insert({
    id,
    ownerId: viewer.id,
    disputeId: null,
    fileName: input.fileName,
    contentType: input.contentType,
    sizeBytes: input.sizeBytes,
    objectKey,
    createdAt: ctx.app.now(),
    boundAt: null,
  });
  return {
    evidenceId: id,
    uploadUrl: signed.url,
    method: signed.method,
    headers: signed.headers,
    formFields: signed.formFields,
    expiresAt: signed.expiresAt,
  };
}

// ---------------------------------------------------------------- downloading

/**
 * A signed, short-lived download of one evidence file, saved under its original name. Evidence
 * is only reached through a dispute, so `objectKey` is the checked copy createDispute bound, a
 * key no signed upload can write. Files bound before createDispute made copies keep their
 * upload key: their signed uploads expired UPLOAD_TTL_SECONDS after they were made, and no one
 * else can write that key either.
 */
export function evidenceUrl(ctx: Context, e: EvidenceEntity): Promise<string> {
  return ctx.app.store.signedDownload(e.objectKey, {
    expiresInSeconds: DOWNLOAD_TTL_SECONDS,
    fileName: e.fileName,
    contentType: e.contentType,
  });
}

/** What a recording needs of its call (calls/ sits above evidence/, so it passes its row in). */
export interface RecordedCall {
  id: string;
  buyerId: string;
  recordingKey: string | null;
  recordingContentType: string | null;
  recordingDurationSeconds: number | null;
}

/** A call's recording as the API shows it; its URL is signed only when asked for (recordingUrl). */
export interface RecordingValue {
  key: string;
  /** The name a download is saved under. */
  fileName: string;
  contentType: string;
  durationSeconds: number | null;
}

/** The call's recording, or null when there is none or the viewer may not hear it. */
export function recordingOf(viewer: Viewer, call: RecordedCall): RecordingValue | null {
  if (!mayView(viewer, 'recording', call.buyerId)) return null;
  if (!call.recordingKey || !call.recordingContentType) return null;
  const ext = EXTENSION_OF[call.recordingContentType as EvidenceContentType] ?? 'audio';
  return {
    key: call.recordingKey,
    fileName: `call-${call.id}.${ext}`,
    contentType: call.recordingContentType,
    durationSeconds: call.recordingDurationSeconds,
  };
}

/**
 * A short-lived download of a recording recordingOf gave (so one the viewer may hear): signing
 * costs tens of microseconds, so a page showing only the recordings' types signs none.
 */
export function recordingUrl(ctx: Context, r: RecordingValue): Promise<string> {
  return ctx.app.store.signedDownload(r.key, {
    expiresInSeconds: DOWNLOAD_TTL_SECONDS,
    fileName: r.fileName,
    contentType: r.contentType,
  });
}

// ---------------------------------------------------------------- binding to a dispute

const evidenceInvalid = (id: string, why: string) =>
  new DomainError(ErrorCode.EVIDENCE_INVALID, `Evidence "${id}" ${why}.`, { evidenceId: id });

/** A file createDispute copied to a checked key and checked there, ready to be bound. */
export interface CheckedCopy {
  evidenceId: string;
  /** Where the client uploaded the file; removed once the copy is bound. */
  uploadKey: string;
  /** The checked copy: what the dispute serves from then on. */
  key: string;
}

/**
 * What checkEvidence decided: the refusal to report, or the checked copies to bind, in the
 * order given. A refusal comes with no copies: they are removed (or being removed) already.
 */
export interface EvidenceCheck {
  refusal: DomainError | null;
  copies: CheckedCopy[];
}

const refused = (refusal: DomainError): EvidenceCheck => ({ refusal, copies: [] });

/** Why the object at `key` is not what `e` declares, or null when it is. */
async function storedProblem(
  store: ObjectStore,
  key: string,
  e: EvidenceEntity,
): Promise<string | null> {
  const info = await store.stat(key);
  if (!info) return 'was never uploaded';
  if (info.size !== e.sizeBytes) {
    return `was declared as ${e.sizeBytes} bytes but ${info.size} bytes were uploaded`;
  }
  const declared = canonicalContentType(e.contentType);
  if (!declared) return `has a type that is no longer accepted (${e.contentType})`;
  const verdict = await verifyContent(declared, e.sizeBytes, (start, length) =>
    store.readRange(key, start, length),
  );
  if (verdict.ok) return null;
  const seen = verdict.detected ? `look like ${verdict.detected}` : `are not ${declared}`;
  return declared === 'text/plain'
    ? 'was declared as text/plain but is not UTF-8 text (or holds NUL bytes)'
    : `was declared as ${declared} but its contents ${seen}`;
}

/** One file's copy (null when none was made) and what was wrong with it, if anything. */
interface CopyVerdict {
  copy: string | null;
  problem: string | null;
  /** The store failed or did not answer; `err` says how. */
  failed: boolean;
  err?: unknown;
}

/**
 * Copies the uploaded object server-side to a fresh checked key, then checks the copy. The check
 * reads the very bytes the dispute will serve, and no signed upload names that key: whatever the
 * client sends under its upload afterwards (valid until it expires, on every S3 store) reaches
 * neither the check nor the download. Also the copy is typed as declared, whatever the upload
 * said.
 */
async function copyAndCheck(store: ObjectStore, row: EvidenceEntity): Promise<CopyVerdict> {
  const key = newCheckedKey(row.id);
  try {
    if (!(await store.copy(row.objectKey, key, row.contentType))) {
      return { copy: null, problem: 'was never uploaded', failed: false };
    }
    return { copy: key, problem: await storedProblem(store, key, row), failed: false };
  } catch (err) {
    // A copy that failed late or timed out may land all the same: it is removed with the rest.
    return { copy: key, problem: null, failed: true, err };
  }
}

/**
 * Checks, before the dispute's transaction, that each evidence file was created by this user,
 * is not held by another dispute, and is stored as declared: present, of the declared size,
 * and with leading bytes of the declared type. Each file is first copied to a checked key of its
 * own and checked there (copyAndCheck); the copies are what bindEvidence binds. Every store call
 * is bounded by the store's timeout, so a stalled store costs this request seconds, never a
 * pooled connection.
 * Refuses with EVIDENCE_INVALID naming the first bad file in the order given
 * (`extensions.evidenceId`), or INTERNAL_SERVER_ERROR when the store cannot answer; the copies
 * are then removed. The caller reports the refusal after the call's own rules (the contract's
 * order), and calls discardCopies when its transaction fails and retireUploads when it commits.
 */
export async function checkEvidence(
  ctx: Context,
  viewer: Viewer,
  ids: readonly string[],
): Promise<EvidenceCheck> {
  if (ids.length === 0) return { refusal: null, copies: [] };
  const wellFormed = ids.filter(isUuid);
  const rows = wellFormed.length
    ? await ctx.app.ds
        .getRepository(EvidenceEntity)
        .findBy({ id: In(wellFormed), ownerId: viewer.id })
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const found: EvidenceEntity[] = [];
  for (const id of ids) {
    // Another user's file reads exactly like a missing one.
    const row = isUuid(id) ? byId.get(id.toLowerCase()) : undefined;
    if (!row) return refused(evidenceInvalid(id, 'does not exist or was not created by you'));
    if (row.disputeId) return refused(evidenceInvalid(id, 'is already attached to a dispute'));
    found.push(row);
  }

  const verdicts = await Promise.all(found.map((row) => copyAndCheck(ctx.app.store, row)));
  const refusal = firstRefusal(ctx, found, verdicts);
  if (!refusal) {
    return {
      refusal: null,
      copies: found.map((row, i) => ({
        evidenceId: row.id,
        uploadKey: row.objectKey,
        key: verdicts[i]!.copy!,
      })),
    };
  }
  const made = verdicts.flatMap((v) => (v.copy ? [v.copy] : []));
  // A store that failed may hang again: then its copies go without holding up the answer.
  if (verdicts.some((v) => v.failed)) void discardCopies(ctx, made);
  else await discardCopies(ctx, made);
  return refused(refusal);
}

/** The refusal for the first file in the order given that failed or is not as declared. */
function firstRefusal(
  ctx: Context,
  found: readonly EvidenceEntity[],
  verdicts: readonly CopyVerdict[],
): DomainError | null {
  for (const [i, v] of verdicts.entries()) {
    const row = found[i]!;
    if (v.failed) {
      ctx.log.warn({ err: v.err, evidenceId: row.id }, 'checking an evidence object failed');
      return storeUnavailable(CHECK_UNAVAILABLE);
    }
    if (v.problem) return evidenceInvalid(row.id, v.problem);
  }
  return null;
}

/**
 * Removes checked copies that no evidence row names, after a refusal or a failed transaction.
 * The rows are asked first because a transaction can fail after its commit did happen (an
 * answer lost on the way back), and a bound copy must stay. Never throws: a copy left behind
 * (the store or the database failed, or the process stopped) is removed by the sweep along with
 * its file while that stays unbound (evidence-sweep.ts), and is never served.
 */
export async function discardCopies(ctx: Context, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    const named = (await ctx.app.ds.query(NAMED_OBJECT_KEYS, [keys])) as { object_key: string }[];
    const bound = new Set(named.map((r) => r.object_key));
    const removals = await Promise.allSettled(
      keys.filter((k) => !bound.has(k)).map((k) => ctx.app.store.delete(k)),
    );
    const failed = removals.filter((r) => r.status === 'rejected');
    if (failed.length) {
      ctx.log.warn(
        { err: (failed[0] as PromiseRejectedResult).reason, count: failed.length },
        'removing checked evidence copies failed; the sweep removes them',
      );
    }
  } catch (err) {
    ctx.log.warn({ err }, 'removing checked evidence copies failed; the sweep removes them');
  }
}

/**
 * Removes the uploaded objects of files just bound: the dispute serves their checked copies, so
 * these are never read again. Runs after the commit and never throws: an object left behind
 * (the store failed, or the client sent its upload again before it expired) is never served.
 */
export async function retireUploads(ctx: Context, copies: readonly CheckedCopy[]): Promise<void> {
  const removals = await Promise.allSettled(copies.map((c) => ctx.app.store.delete(c.uploadKey)));
  const failed = removals.filter((r) => r.status === 'rejected');
  if (failed.length) {
    ctx.log.warn(
      { err: (failed[0] as PromiseRejectedResult).reason, count: failed.length },
      'removing uploaded evidence objects failed; they are never served',
    );
  }
}

/**
 * Binds the checked copies to the dispute inside its transaction, only where the files are
 * still the viewer's and unbound, so a concurrent binder (or the sweep) makes this fail whole.
 * Each row's object_key becomes its checked copy, the only object its downloads serve from then
 * on. bound_at steps by a microsecond per file, which keeps Dispute.evidence in the order given.
 */
export async function bindEvidence(
  em: EntityManager,
  viewer: Viewer,
  disputeId: string,
  copies: readonly CheckedCopy[],
  now: Date,
): Promise<void> {
  if (copies.length === 0) return;
  const [bound] = (await em.query(BIND_EVIDENCE, [
    disputeId,
    now,
    copies.map((c) => c.evidenceId),
    viewer.id,
    copies.map((c) => c.key),
  ])) as { n: number }[];
  const affected = bound?.n ?? 0;
  if (affected !== copies.length) {
    throw new DomainError(
      ErrorCode.EVIDENCE_INVALID,
      'An evidence file was attached to another dispute meanwhile.',
    );
  }
}
