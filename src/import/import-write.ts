import { createReadStream } from 'node:fs';
import type { QueryRunner } from 'typeorm';
import type { ObjectStore } from '../platform/object-store';
import { rows, type ImportPlan } from './import-plan';
import { recordingKey } from './recording-plan';

/**
 * Applies an ImportPlan inside the caller's transaction: recordings to the object store, then
 * one upsert per kind. Rows whose values already match are not touched, so a second run of the
 * same file changes nothing and counts them as unchanged.
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
  INSERT INTO accounts AS t (id, name, dispute_window_hours, currency, auto_accept_duplicates)
  SELECT x.id, x.name, x.dispute_window_hours, x.currency, x.auto_accept_duplicates
    FROM jsonb_to_recordset($1::jsonb)
      AS x(id uuid, name text, dispute_window_hours integer, currency text, auto_accept_duplicates boolean)
  ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    dispute_window_hours = EXCLUDED.dispute_window_hours,
    currency = EXCLUDED.currency,
    auto_accept_duplicates = EXCLUDED.auto_accept_duplicates
  WHERE (t.name, t.dispute_window_hours, t.currency, t.auto_accept_duplicates)
    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.dispute_window_hours, EXCLUDED.currency,
                      EXCLUDED.auto_accept_duplicates)
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

/** Writes `plan` through `qr`, whose transaction the caller opened and commits. */
export async function writeImport(
  qr: QueryRunner,
  store: ObjectStore | null,
  plan: ImportPlan,
): Promise<ImportSummary> {
  // Objects first: if an upload fails nothing is committed; if the commit fails the objects
  // stay, keyed by call id, and the next import overwrites them.
  if (plan.recordings.length && store) {
    await store.ensureBucket();
    for (const p of plan.recordings) {
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

  const accounts = await upsert(qr, UPSERT_ACCOUNTS, plan.accounts);
  for (const part of chunks(plan.users)) {
    await qr.query(PARK_CHANGING_EMAILS, [
      JSON.stringify(part.map((u) => ({ id: u.id, email: u.email }))),
    ]);
  }
  const users = await upsert(qr, UPSERT_USERS, plan.users);
  const campaigns = await upsert(qr, UPSERT_CAMPAIGNS, plan.campaigns);
  const calls = await upsert(qr, UPSERT_CALLS, plan.calls);
  for (const part of chunks(plan.calls)) {
    await qr.query(SYNC_DISPUTE_CALL_DATES, [part.map((c) => c.id)]);
  }
  return { accounts, users, campaigns, calls, recordingsStored: plan.recordings.length };
}
