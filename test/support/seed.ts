import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { readTestEnv } from './services';
import { Client } from './client';

let pool: Pool | undefined;

/** Direct SQL to arrange data and to check what was (not) written. */
export function db(): Pool {
  pool ??= new Pool({ connectionString: readTestEnv().databaseUrl, max: 4 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export const HOUR = 3_600_000;

export async function insertAccount(
  opts: { name?: string; windowHours?: number; currency?: string } = {},
) {
  const id = randomUUID();
  await db().query(
    'INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES ($1, $2, $3, $4)',
    [id, opts.name ?? `Account ${id.slice(0, 8)}`, opts.windowHours ?? 72, opts.currency ?? 'USD'],
  );
  return id;
}

export async function insertUser(opts: {
  role: 'BUYER' | 'MANAGER';
  accountId?: string | null;
  permissions?: string[];
  name?: string;
}) {
  const id = randomUUID();
  await db().query(
    'INSERT INTO users (id, name, email, role, account_id, permissions) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      opts.name ?? `User ${id.slice(0, 8)}`,
      `${id}@test.example`,
      opts.role,
      opts.accountId ?? null,
      opts.permissions ?? [],
    ],
  );
  return id;
}

export async function insertCampaign(opts: { windowHours?: number | null; name?: string } = {}) {
  const id = randomUUID();
  await db().query('INSERT INTO campaigns (id, name, dispute_window_hours) VALUES ($1, $2, $3)', [
    id,
    opts.name ?? `Campaign ${id.slice(0, 8)}`,
    opts.windowHours ?? null,
  ]);
  return id;
}

export interface CallSeed {
  buyerId: string;
  campaignId: string;
  startedAt?: Date;
  status?: string;
  payoutMinor?: number;
  callerId?: string;
  destination?: string;
  recordingKey?: string | null;
}

export async function insertCall(c: CallSeed) {
  const id = randomUUID();
  const payout = c.payoutMinor ?? 2500;
  await db().query(
    `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
       payout_minor, duration_seconds, status, hangup_by, hangup_cause, recording_key, recording_content_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 95, $8, 'CALLER', NULL, $9, $10)`,
    [
      id,
      c.buyerId,
      c.campaignId,
      c.startedAt ?? new Date(Date.now() - HOUR),
      c.callerId ?? `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`,
      c.destination ?? '+18005550100',
      payout,
      c.status ?? 'COMPLETED_WITH_CONVERSION',
      c.recordingKey ?? null,
      c.recordingKey ? 'audio/mpeg' : null,
    ],
  );
  return id;
}

/**
 * A fresh, isolated world per test file: two buyer accounts and a user for each role the
 * contract distinguishes. Managers see every account, so manager-wide counts are shared
 * across files running at the same time; tests compare deltas or filter by buyerId.
 */
export async function createWorld() {
  const accountA = await insertAccount({ name: 'Acme Test', windowHours: 72 });
  const accountB = await insertAccount({ name: 'Globex Test', windowHours: 48 });
  const campaign = await insertCampaign();
  const ids = {
    accountA,
    accountB,
    campaign,
    buyerA: await insertUser({
      role: 'BUYER',
      accountId: accountA,
      permissions: ['DISPUTE_CALLS'],
      name: 'Ann A',
    }),
    buyerA2: await insertUser({
      role: 'BUYER',
      accountId: accountA,
      permissions: ['DISPUTE_CALLS'],
      name: 'Abe A',
    }),
    buyerANoPerm: await insertUser({
      role: 'BUYER',
      accountId: accountA,
      permissions: [],
      name: 'Ben A',
    }),
    buyerB: await insertUser({
      role: 'BUYER',
      accountId: accountB,
      permissions: ['DISPUTE_CALLS'],
      name: 'Gina B',
    }),
    viewManager: await insertUser({
      role: 'MANAGER',
      permissions: ['VIEW_DISPUTES'],
      name: 'Vic Viewer',
    }),
    editManager: await insertUser({
      role: 'MANAGER',
      permissions: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
      name: 'Eve Editor',
    }),
    plainManager: await insertUser({ role: 'MANAGER', permissions: [], name: 'Pat Plain' }),
  };
  const as = {
    buyerA: await Client.forUser(ids.buyerA),
    buyerA2: await Client.forUser(ids.buyerA2),
    buyerANoPerm: await Client.forUser(ids.buyerANoPerm),
    buyerB: await Client.forUser(ids.buyerB),
    viewManager: await Client.forUser(ids.viewManager),
    editManager: await Client.forUser(ids.editManager),
    plainManager: await Client.forUser(ids.plainManager),
    anonymous: new Client(null),
  };
  return { ids, as };
}

export type World = Awaited<ReturnType<typeof createWorld>>;

export async function count(
  table: string,
  where = 'TRUE',
  params: unknown[] = [],
): Promise<number> {
  const r = await db().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return r.rows[0]!.n;
}

/** A dispute written straight to the database (for arranging histories). */
export async function insertDispute(opts: {
  callId: string;
  createdBy: string;
  status?: 'PENDING' | 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED' | 'WITHDRAWN';
  decidedBy?: string;
  adjustmentMinor?: number;
  reason?: string;
  /** Default: 48 hours (REVIEW_SLA_HOURS's default) after now. */
  reviewDueAt?: Date;
}) {
  const id = randomUUID();
  const status = opts.status ?? 'PENDING';
  const decided = status !== 'PENDING' && status !== 'WITHDRAWN';
  const withdrawn = status === 'WITHDRAWN';
  await db().query(
    `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by,
       decided_at, decided_by, adjustment_minor, withdrawn_at, withdrawn_by, review_due_at)
     SELECT $1, c.id, c.buyer_id, $3, $4, c.started_at, $5, $6, $7, $8, $9, $10,
       COALESCE($11, clock_timestamp() + interval '48 hours') FROM calls c WHERE c.id = $2`,
    [
      id,
      opts.callId,
      status,
      opts.reason ?? 'INVALID_CALLER',
      opts.createdBy,
      decided ? new Date() : null,
      decided ? (opts.decidedBy ?? opts.createdBy) : null,
      decided ? (opts.adjustmentMinor ?? 0) : null,
      withdrawn ? new Date() : null,
      withdrawn ? opts.createdBy : null,
      opts.reviewDueAt ?? null,
    ],
  );
  return id;
}
