import type { QueryRunner } from 'typeorm';
import { parseMoneyToMinor } from '../platform/money';
import { describeRecord, externalReferences, ImportError, type Fixture } from './fixture';
import { recordingKey, type PlannedRecording } from './recording-plan';

/**
 * What an import will write, decided before the first write: the fixture checked against the
 * database (references, email collisions, calls whose buyer may no longer change) and turned
 * into rows. A file with any problem, here or in its recordings, is refused whole with every
 * problem named by record and field.
 */

export async function rows<T>(qr: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
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

/** Rows in the shape of their tables' columns, as the upserts read them from JSON. */
export interface ImportPlan {
  accounts: {
    id: string;
    name: string;
    dispute_window_hours: number;
    currency: string;
    auto_accept_duplicates: boolean;
  }[];
  users: {
    id: string;
    name: string;
    email: string;
    role: string;
    account_id: string | null;
    permissions: string[];
  }[];
  campaigns: { id: string; name: string; dispute_window_hours: number | null }[];
  calls: {
    id: string;
    buyer_id: string;
    campaign_id: string;
    started_at: string;
    caller_id: string;
    destination: string;
    payout_minor: number;
    duration_seconds: number;
    status: string;
    hangup_by: string | null;
    hangup_cause: string | null;
    recording_key: string | null;
    recording_content_type: string | null;
    recording_duration_seconds: number | null;
  }[];
  /** Recordings to put in the object store, before the rows that name them. */
  recordings: PlannedRecording[];
}

/**
 * Checks a parsed fixture against the database and returns what to write, or throws an
 * ImportError naming every problem, `fileProblems` (the recordings') first. Runs inside the
 * import's transaction, after its lock, so what it found still holds when the writes run.
 */
export async function planImport(
  qr: QueryRunner,
  fixture: Fixture,
  recordings: { planned: PlannedRecording[]; problems: string[] },
): Promise<ImportPlan> {
  const problems = [...recordings.problems, ...(await databaseProblems(qr, fixture))];
  if (problems.length) throw new ImportError(problems);

  const recordingOf = new Map(recordings.planned.map((p) => [p.callId, p]));
  return {
    accounts: fixture.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      dispute_window_hours: a.disputeWindowHours,
      currency: a.currency,
      auto_accept_duplicates: a.autoAcceptDuplicates,
    })),
    users: fixture.users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      account_id: u.accountId,
      permissions: u.permissions,
    })),
    campaigns: fixture.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      dispute_window_hours: c.disputeWindowHours,
    })),
    calls: fixture.calls.map((c) => {
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
    recordings: recordings.planned,
  };
}
