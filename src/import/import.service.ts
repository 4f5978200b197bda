import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ObjectStore } from '../platform/object-store';
import { parseMoneyToMinor } from '../platform/money';
import {
  describeRecord,
  externalReferences,
  ImportError,
  parseFixture,
  type Fixture,
} from './fixture';

/**
 * Upserts a fixture in one transaction. Everything that can be checked is checked before the
 * first write (files, then references and email collisions against the database), so a bad
 * file is refused whole. Rows whose values already match are not touched, so a second run of
 * the same file changes nothing.
 */

export interface KindCounts {
  inserted: number;
  updated: number;
  /** Already in the database with exactly these values. */
  unchanged: number;
}

export interface ImportSummary {
  accounts: KindCounts;
  users: KindCounts;
  campaigns: KindCounts;
  calls: KindCounts;
  /** Recordings written to the object store (re-imports write them again, same key and bytes). */
  recordingsStored: number;
}

/** A recording supplied as bytes rather than a file path (demo data, tests). */
export interface InMemoryRecording {
  callId: string;
  bytes: Buffer;
  contentType: string;
}

export interface ImportOptions {
  /** Where relative `recordingPath`s are resolved; the current directory when absent. */
  baseDir?: string;
  recordings?: readonly InMemoryRecording[];
}

export const RECORDING_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

/** The object key of a call's recording: one per call, so a re-import overwrites it. */
export function recordingKey(callId: string): string {
  return `recordings/${callId}`;
}

// ---------------------------------------------------------------- audio files

const HEAD_BYTES = 64 * 1024;

function looksLike(contentType: string, head: Buffer): boolean {
  switch (contentType) {
    case 'audio/wav':
      return (
        head.length >= 12 &&
        head.toString('latin1', 0, 4) === 'RIFF' &&
        head.toString('latin1', 8, 12) === 'WAVE'
      );
    case 'audio/ogg':
      return head.length >= 4 && head.toString('latin1', 0, 4) === 'OggS';
    case 'audio/mpeg':
      return (
        (head.length >= 3 && head.toString('latin1', 0, 3) === 'ID3') ||
        (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)
      );
    default:
      return false;
  }
}

/**
 * Whole seconds of a PCM/RIFF WAV from its header (fmt byte rate, data chunk size), or null when
 * the header cannot tell. `totalSize` caps a data chunk that claims more than the file holds.
 */
export function wavDurationSeconds(head: Buffer, totalSize = head.length): number | null {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF') return null;
  if (head.toString('latin1', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 20 <= head.length) byteRate = head.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (!byteRate) return null;
      const available = Math.max(0, totalSize - (offset + 8));
      return Math.round(Math.min(size, available) / byteRate);
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

interface PlannedRecording {
  callId: string;
  contentType: string;
  durationSeconds: number | null;
  source: { file: string; size: number } | { bytes: Buffer };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Checks every recording before anything is written; returns the plan and the problems. */
async function planRecordings(
  fixture: Fixture,
  store: ObjectStore | null,
  opts: ImportOptions,
): Promise<{ planned: PlannedRecording[]; problems: string[] }> {
  const planned: PlannedRecording[] = [];
  const problems: string[] = [];
  const baseDir = opts.baseDir ?? process.cwd();

  for (const [i, call] of fixture.calls.entries()) {
    if (call.recordingPath === null) continue;
    const where = `${describeRecord('calls', i, call.id)}: recordingPath`;
    if (!store) {
      problems.push(`${where}: no object store is configured to hold recordings`);
      continue;
    }
    const file = path.resolve(baseDir, call.recordingPath);
    const ext = path.extname(file).toLowerCase();
    const contentType = RECORDING_CONTENT_TYPES[ext];
    if (!contentType) {
      problems.push(`${where}: ${file}: unsupported file type (expected .mp3, .wav or .ogg)`);
      continue;
    }
    let size: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) {
        problems.push(`${where}: ${file} is not a file`);
        continue;
      }
      size = st.size;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(
        `${where}: ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`}`,
      );
      continue;
    }
    if (size === 0) {
      problems.push(`${where}: ${file} is empty`);
      continue;
    }
    let head: Buffer;
    try {
      head = await readHead(file);
    } catch (err) {
      problems.push(
        `${where}: ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      continue;
    }
    if (!looksLike(contentType, head)) {
      problems.push(`${where}: ${file} does not look like ${ext.slice(1).toUpperCase()} audio`);
      continue;
    }
    planned.push({
      callId: call.id,
      contentType,
      durationSeconds: contentType === 'audio/wav' ? wavDurationSeconds(head, size) : null,
      source: { file, size },
    });
  }

  const callIds = new Set(fixture.calls.map((c) => c.id));
  const fromFiles = new Set(planned.map((p) => p.callId));
  const inMemorySeen = new Set<string>();
  for (const [i, rec] of (opts.recordings ?? []).entries()) {
    const where = `recordings[${i}] (call ${rec.callId})`;
    const callId = rec.callId.toLowerCase();
    if (!store) problems.push(`${where}: no object store is configured to hold recordings`);
    else if (!callIds.has(callId)) problems.push(`${where}: callId: no such call in the fixture`);
    else if (fromFiles.has(callId) || inMemorySeen.has(callId)) {
      problems.push(`${where}: callId: the call already has a recording in this import`);
    } else if (!Object.values(RECORDING_CONTENT_TYPES).includes(rec.contentType)) {
      problems.push(`${where}: contentType: must be audio/mpeg, audio/wav or audio/ogg`);
    } else if (rec.bytes.length === 0 || !looksLike(rec.contentType, rec.bytes)) {
      problems.push(`${where}: bytes: not ${rec.contentType} audio`);
    } else {
      inMemorySeen.add(callId);
      planned.push({
        callId,
        contentType: rec.contentType,
        durationSeconds: rec.contentType === 'audio/wav' ? wavDurationSeconds(rec.bytes) : null,
        source: { bytes: rec.bytes },
      });
    }
  }
  return { planned, problems };
}

// ---------------------------------------------------------------- database

async function rows<T>(qr: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
  const result = await qr.query(sql, params, true);
  return (result.records ?? []) as T[];
}

/** References, email collisions and calls whose buyer may no longer change. */
async function databaseProblems(qr: QueryRunner, fixture: Fixture): Promise<string[]> {
  const problems: string[] = [];

  const refs = externalReferences(fixture);
  const wanted = (target: 'accounts' | 'campaigns') => [
    ...new Set(refs.filter((r) => r.target === target).map((r) => r.targetId)),
  ];
  const found = new Set<string>();
  for (const target of ['accounts', 'campaigns'] as const) {
    const ids = wanted(target);
    if (!ids.length) continue;
    // The table name is one of two literals above, never input.
    const existing = await rows<{ id: string }>(
      qr,
      `SELECT id FROM ${target} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of existing) found.add(`${target}:${r.id}`);
  }
  for (const r of refs) {
    if (!found.has(`${r.target}:${r.targetId}`)) {
      const noun = r.target === 'accounts' ? 'account' : 'campaign';
      problems.push(
        `${r.record}: ${r.field}: ${noun} ${r.targetId} is neither in the file nor in the database`,
      );
    }
  }

  if (fixture.users.length) {
    const fileUserIds = new Set(fixture.users.map((u) => u.id));
    const holders = await rows<{ id: string; email: string }>(
      qr,
      `SELECT id, email FROM users WHERE lower(email) = ANY($1::text[])`,
      [fixture.users.map((u) => u.email.toLowerCase())],
    );
    const holderByEmail = new Map(holders.map((h) => [h.email.toLowerCase(), h]));
    for (const [i, u] of fixture.users.entries()) {
      const holder = holderByEmail.get(u.email.toLowerCase());
      // A holder that is itself in the file gets its new email in this import (renames, swaps).
      if (holder && holder.id !== u.id && !fileUserIds.has(holder.id)) {
        problems.push(
          `${describeRecord('users', i, u.id)}: email: ${u.email} already belongs to another user (id ${holder.id}) in the database`,
        );
      }
    }
  }

  if (fixture.calls.length) {
    const disputed = await rows<{ id: string; buyer_id: string }>(
      qr,
      `SELECT c.id, c.buyer_id FROM calls c
        WHERE c.id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM disputes d WHERE d.call_id = c.id)`,
      [fixture.calls.map((c) => c.id)],
    );
    const buyerOf = new Map(disputed.map((d) => [d.id, d.buyer_id]));
    for (const [i, c] of fixture.calls.entries()) {
      const current = buyerOf.get(c.id);
      if (current !== undefined && current !== c.buyerId) {
        problems.push(
          `${describeRecord('calls', i, c.id)}: buyerId: the call has disputes of account ${current}; its buyer cannot change`,
        );
      }
    }
  }
  return problems;
}

const CHUNK = 2000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Runs an upsert whose RETURNING yields `inserted` for each written row; skipped rows return none. */
async function upsert(
  qr: QueryRunner,
  sql: string,
  records: readonly object[],
): Promise<KindCounts> {
  const counts: KindCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const part of chunks(records)) {
    const written = await rows<{ inserted: boolean }>(qr, sql, [JSON.stringify(part)]);
    for (const r of written) {
      if (r.inserted) counts.inserted += 1;
      else counts.updated += 1;
    }
  }
  counts.unchanged = records.length - counts.inserted - counts.updated;
  return counts;
}

const UPSERT_ACCOUNTS = `
  INSERT INTO accounts AS t (id, name, dispute_window_hours, currency)
  SELECT x.id, x.name, x.dispute_window_hours, x.currency
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, dispute_window_hours integer, currency text)
  ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    dispute_window_hours = EXCLUDED.dispute_window_hours,
    currency = EXCLUDED.currency
  WHERE (t.name, t.dispute_window_hours, t.currency)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.dispute_window_hours, EXCLUDED.currency)
  RETURNING (xmax = 0) AS inserted`;

/** Frees the emails of file users whose email changes, so renames and swaps never collide midway. */
const PARK_CHANGING_EMAILS = `
  UPDATE users AS u SET email = u.id::text || '@renaming.invalid'
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, email text)
   WHERE u.id = x.id AND lower(u.email) <> lower(x.email)`;

const UPSERT_USERS = `
  INSERT INTO users AS t (id, name, email, role, account_id, permissions)
  SELECT x.id, x.name, x.email, x.role, x.account_id, x.permissions
    FROM jsonb_to_recordset($1::jsonb)
      AS x(id uuid, name text, email text, role text, account_id uuid, permissions text[])
  ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    email = EXCLUDED.email,
    role = EXCLUDED.role,
    account_id = EXCLUDED.account_id,
    permissions = EXCLUDED.permissions
  WHERE (t.name, t.email, t.role, t.account_id, t.permissions)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.email, EXCLUDED.role, EXCLUDED.account_id, EXCLUDED.permissions)
  RETURNING (xmax = 0) AS inserted`;

const UPSERT_CAMPAIGNS = `
  INSERT INTO campaigns AS t (id, name, dispute_window_hours)
  SELECT x.id, x.name, x.dispute_window_hours
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, dispute_window_hours integer)
  ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    dispute_window_hours = EXCLUDED.dispute_window_hours
  WHERE (t.name, t.dispute_window_hours)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.dispute_window_hours)
  RETURNING (xmax = 0) AS inserted`;

/**
 * The new payout keeps what decisions already took off: new original minus (old original minus
 * old payout), never below 0. An ACCEPTED dispute refunded the whole call, so its payout stays 0
 * even when the original payout grows.
 */
const NEW_PAYOUT = `
  CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.call_id = t.id AND d.status = 'ACCEPTED') THEN 0
       ELSE greatest(0, EXCLUDED.original_payout_minor - (t.original_payout_minor - t.payout_minor))
  END`;

/** A call listed without a recording keeps the one it has. */
const KEEP_OR_NEW = (column: string) =>
  `CASE WHEN EXCLUDED.recording_key IS NULL THEN t.${column} ELSE EXCLUDED.${column} END`;

const UPSERT_CALLS = `
  INSERT INTO calls AS t (id, buyer_id, campaign_id, started_at, caller_id, destination,
    original_payout_minor, payout_minor, duration_seconds, status, hangup_by, hangup_cause,
    recording_key, recording_content_type, recording_duration_seconds)
  SELECT x.id, x.buyer_id, x.campaign_id, x.started_at, x.caller_id, x.destination,
    x.payout_minor, x.payout_minor, x.duration_seconds, x.status, x.hangup_by, x.hangup_cause,
    x.recording_key, x.recording_content_type, x.recording_duration_seconds
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, buyer_id uuid, campaign_id uuid,
      started_at timestamptz, caller_id text, destination text, payout_minor bigint,
      duration_seconds integer, status text, hangup_by text, hangup_cause text,
      recording_key text, recording_content_type text, recording_duration_seconds integer)
  ON CONFLICT (id) DO UPDATE SET
    buyer_id = EXCLUDED.buyer_id,
    campaign_id = EXCLUDED.campaign_id,
    started_at = EXCLUDED.started_at,
    caller_id = EXCLUDED.caller_id,
    destination = EXCLUDED.destination,
    original_payout_minor = EXCLUDED.original_payout_minor,
    payout_minor = ${NEW_PAYOUT},
    duration_seconds = EXCLUDED.duration_seconds,
    status = EXCLUDED.status,
    hangup_by = EXCLUDED.hangup_by,
    hangup_cause = EXCLUDED.hangup_cause,
    recording_key = ${KEEP_OR_NEW('recording_key')},
    recording_content_type = ${KEEP_OR_NEW('recording_content_type')},
    recording_duration_seconds = ${KEEP_OR_NEW('recording_duration_seconds')}
  WHERE (t.buyer_id, t.campaign_id, t.started_at, t.caller_id, t.destination,
         t.original_payout_minor, t.payout_minor, t.duration_seconds, t.status, t.hangup_by,
         t.hangup_cause, t.recording_key, t.recording_content_type, t.recording_duration_seconds)
    IS DISTINCT FROM
        (EXCLUDED.buyer_id, EXCLUDED.campaign_id, EXCLUDED.started_at, EXCLUDED.caller_id,
         EXCLUDED.destination, EXCLUDED.original_payout_minor, ${NEW_PAYOUT},
         EXCLUDED.duration_seconds, EXCLUDED.status, EXCLUDED.hangup_by, EXCLUDED.hangup_cause,
         ${KEEP_OR_NEW('recording_key')}, ${KEEP_OR_NEW('recording_content_type')},
         ${KEEP_OR_NEW('recording_duration_seconds')})
  RETURNING (xmax = 0) AS inserted`;

/** disputes.call_started_at is a copy of the call's start (for ordering); keep it in step. */
const SYNC_DISPUTE_CALL_DATES = `
  UPDATE disputes d SET call_started_at = c.started_at
    FROM calls c
   WHERE d.call_id = c.id AND c.id = ANY($1::uuid[]) AND d.call_started_at IS DISTINCT FROM c.started_at`;

/** Serializes concurrent imports, so the checks above still hold when the writes run. */
const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtext('disputes-api:import'))`;

// ---------------------------------------------------------------- entry point

export async function importFixture(
  ds: DataSource,
  store: ObjectStore | null,
  fixture: Fixture,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  // Re-validate: callers may build a Fixture in code, and the invariants (unique ids, roles)
  // are what the SQL below relies on.
  const checked = parseFixture(fixture);
  const { planned, problems: fileProblems } = await planRecordings(checked, store, opts);
  const recordingOf = new Map(planned.map((p) => [p.callId, p]));

  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    await qr.query(IMPORT_LOCK);

    const problems = [...fileProblems, ...(await databaseProblems(qr, checked))];
    if (problems.length) throw new ImportError(problems);

    // Objects first: if an upload fails nothing is committed; if the commit fails the objects
    // stay, keyed by call id, and the next import overwrites them.
    if (planned.length && store) {
      await store.ensureBucket();
      for (const p of planned) {
        if ('bytes' in p.source) {
          await store.put(
            recordingKey(p.callId),
            p.source.bytes,
            p.contentType,
            p.source.bytes.length,
          );
        } else {
          await store.put(
            recordingKey(p.callId),
            createReadStream(p.source.file),
            p.contentType,
            p.source.size,
          );
        }
      }
    }

    const accounts = await upsert(
      qr,
      UPSERT_ACCOUNTS,
      checked.accounts.map((a) => ({
        id: a.id,
        name: a.name,
        dispute_window_hours: a.disputeWindowHours,
        currency: a.currency,
      })),
    );

    if (checked.users.length) {
      for (const part of chunks(checked.users)) {
        await qr.query(PARK_CHANGING_EMAILS, [
          JSON.stringify(part.map((u) => ({ id: u.id, email: u.email }))),
        ]);
      }
    }
    const users = await upsert(
      qr,
      UPSERT_USERS,
      checked.users.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role,
        account_id: u.accountId,
        permissions: u.permissions,
      })),
    );

    const campaigns = await upsert(
      qr,
      UPSERT_CAMPAIGNS,
      checked.campaigns.map((c) => ({
        id: c.id,
        name: c.name,
        dispute_window_hours: c.disputeWindowHours,
      })),
    );

    const calls = await upsert(
      qr,
      UPSERT_CALLS,
      checked.calls.map((c) => {
        const rec = recordingOf.get(c.id);
        return {
          id: c.id,
          buyer_id: c.buyerId,
          campaign_id: c.campaignId,
          started_at: c.startedAt,
          caller_id: c.callerId,
          destination: c.destination,
          payout_minor: parseMoneyToMinor(c.payout),
          duration_seconds: c.durationSeconds,
          status: c.status,
          hangup_by: c.hangupBy,
          hangup_cause: c.hangupCause,
          recording_key: rec ? recordingKey(c.id) : null,
          recording_content_type: rec ? rec.contentType : null,
          recording_duration_seconds: rec ? rec.durationSeconds : null,
        };
      }),
    );
    for (const part of chunks(checked.calls)) {
      await qr.query(SYNC_DISPUTE_CALL_DATES, [part.map((c) => c.id)]);
    }

    await qr.commitTransaction();
    return { accounts, users, campaigns, calls, recordingsStored: planned.length };
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}
