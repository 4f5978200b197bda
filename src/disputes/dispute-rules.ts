import type { CallStatus } from '../calls/call.entity';
import type { CallColumns } from '../calls/call.service';
import type { DisputeStatus } from './dispute.entity';
import type { Viewer } from '../auth/viewer';
import { ErrorCode } from '../platform/errors';

/** In the contract's DisputeBlock order: when several apply, the first is reported. */
export const DISPUTE_BLOCKS = [
  'NO_PERMISSION',
  'STATUS_NOT_DISPUTABLE',
  'WINDOW_EXPIRED',
  'DISPUTE_PENDING',
  'ALREADY_ADJUSTED',
] as const;
export type DisputeBlock = (typeof DISPUTE_BLOCKS)[number];

export const DISPUTABLE_STATUSES: readonly CallStatus[] = [
  'COMPLETED_WITH_CONVERSION',
  'CALL_NOT_CONNECTED_WITH_CONVERSION',
];

/** Statuses that mean "this call was already adjusted": no dispute ever again. */
export const ADJUSTING_STATUSES: readonly DisputeStatus[] = ['ACCEPTED', 'ACCEPTED_PARTIAL'];

/**
 * The statuses the rules below read (a pending dispute blocks, an accepted one adjusts), as a
 * SQL list written exactly as the partial index disputes_standing_call_idx's predicate, so
 * PostgreSQL proves the index applies. A call has at most one of each at a time.
 */
export const STANDING_STATUSES_SQL = `'PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL'`;

/** What the rules read about one call, as values (TypeScript) ... */
export interface DisputabilityFacts {
  /** The viewer may dispute calls of this call's account (see `disputingAccountOf`). */
  canDispute: boolean;
  callStatus: CallStatus;
  startedAt: Date;
  /** The campaign's window, or the buyer account's where the campaign has none. */
  windowHours: number;
  /** Statuses of every earlier dispute of the call. */
  disputeStatuses: readonly DisputeStatus[];
  /** The server's clock. */
  now: Date;
}

/** ... and the same facts as SQL expressions over one row of `calls` (see `disputabilitySql`). */
export interface DisputabilitySqlFacts {
  canDispute: string;
  callStatus: string;
  startedAt: string;
  windowHours: string;
  /** True when some dispute of the call has one of these statuses. */
  hasDisputeIn(statuses: readonly DisputeStatus[]): string;
  now: string;
  /** Binds a value as a query parameter and returns its placeholder. */
  bind(value: unknown): string;
}

interface BlockRule {
  /** The block applies to these facts. */
  holds(f: DisputabilityFacts): boolean;
  /** SQL true exactly where `holds` is true; never NULL. */
  sql(q: DisputabilitySqlFacts): string;
  /** What createDispute answers when this block is the first that applies. */
  error: ErrorCode;
  message: string;
}

/**
 * The rule of the contract (rule 3), written once: each block's TypeScript predicate beside
 * its SQL. `evaluateDisputability` (Call.disputability, createDispute) and `disputabilitySql`
 * (the `disputable` filter of the Call Log) are both read off this table.
 */
const BLOCK_RULES: Record<DisputeBlock, BlockRule> = {
  NO_PERMISSION: {
    holds: (f) => !f.canDispute,
    sql: (q) => `NOT ${q.canDispute}`,
    error: ErrorCode.FORBIDDEN,
    message: 'Disputing calls needs the DISPUTE_CALLS permission.',
  },
  STATUS_NOT_DISPUTABLE: {
    holds: (f) => !DISPUTABLE_STATUSES.includes(f.callStatus),
    sql: (q) => `NOT (${q.callStatus} = ANY (${q.bind(DISPUTABLE_STATUSES)}))`,
    error: ErrorCode.CALL_NOT_DISPUTABLE,
    message:
      'Only calls with status COMPLETED_WITH_CONVERSION or CALL_NOT_CONNECTED_WITH_CONVERSION can be disputed.',
  },
  WINDOW_EXPIRED: {
    holds: (f) => f.now.getTime() >= windowEndsAt(f.startedAt, f.windowHours).getTime(),
    sql: (q) => `${q.now} >= ${q.startedAt} + make_interval(hours => ${q.windowHours})`,
    error: ErrorCode.DISPUTE_WINDOW_EXPIRED,
    message: 'The Dispute Window of this call has ended.',
  },
  DISPUTE_PENDING: {
    holds: (f) => f.disputeStatuses.includes('PENDING'),
    sql: (q) => q.hasDisputeIn(['PENDING']),
    error: ErrorCode.DISPUTE_ALREADY_ACTIVE,
    message: 'This call already has a pending dispute.',
  },
  ALREADY_ADJUSTED: {
    holds: (f) => f.disputeStatuses.some((s) => ADJUSTING_STATUSES.includes(s)),
    sql: (q) => q.hasDisputeIn(ADJUSTING_STATUSES),
    error: ErrorCode.CALL_ALREADY_ADJUSTED,
    message: 'A dispute of this call was already accepted; it cannot be disputed again.',
  },
};

/** The error createDispute answers with for each block. */
export const BLOCK_ERROR = Object.fromEntries(
  DISPUTE_BLOCKS.map((b) => [b, BLOCK_RULES[b].error]),
) as Record<DisputeBlock, ErrorCode>;

export const BLOCK_MESSAGE = Object.fromEntries(
  DISPUTE_BLOCKS.map((b) => [b, BLOCK_RULES[b].message]),
) as Record<DisputeBlock, string>;

export interface Disputability {
  allowed: boolean;
  blockedBy: DisputeBlock | null;
  windowEndsAt: Date;
}

export function windowHoursOf(campaignHours: number | null, accountHours: number): number {
  return campaignHours ?? accountHours;
}

export function windowEndsAt(startedAt: Date, windowHours: number): Date {
  return new Date(startedAt.getTime() + windowHours * 3_600_000);
}

/**
 * The buyer account whose calls the viewer may dispute, or null. Visibility is checked before
 * the rules, so for a visible call this reads "holds DISPUTE_CALLS"; it names the account so
 * that the verdict stays right even where visibility was not checked (a manager's view of a call).
 */
export function disputingAccountOf(viewer: Pick<Viewer, 'accountId' | 'permissions'>) {
  return viewer.permissions.has('DISPUTE_CALLS') ? viewer.accountId : null;
}

/** The rows the facts come from; both the loaders and the transaction read exactly these. */
export interface DisputabilitySources {
  viewer: Pick<Viewer, 'accountId' | 'permissions'>;
  call: { buyerId: string; status: CallStatus; startedAt: Date };
  campaign: { disputeWindowHours: number | null };
  account: { disputeWindowHours: number };
  disputes: readonly { status: DisputeStatus }[];
  now: Date;
}

/** Gathers the facts, each defined once here; `disputabilitySqlFacts` is its SQL twin. */
export function disputabilityFacts(s: DisputabilitySources): DisputabilityFacts {
  return {
    canDispute: disputingAccountOf(s.viewer) === s.call.buyerId,
    callStatus: s.call.status,
    startedAt: s.call.startedAt,
    windowHours: windowHoursOf(s.campaign.disputeWindowHours, s.account.disputeWindowHours),
    disputeStatuses: s.disputes.map((d) => d.status),
    now: s.now,
  };
}

/**
 * The one rule deciding whether a call may be disputed now. `Call.disputability` shows it,
 * createDispute enforces it: the UI offers the action exactly where the mutation succeeds.
 */
export function evaluateDisputability(f: DisputabilityFacts): Disputability {
  const blockedBy = DISPUTE_BLOCKS.find((b) => BLOCK_RULES[b].holds(f)) ?? null;
  return {
    allowed: blockedBy === null,
    blockedBy,
    windowEndsAt: windowEndsAt(f.startedAt, f.windowHours),
  };
}

/** SQL expressions naming the columns of one row of `calls`. */

/**
 * The facts of `disputabilityFacts`, as SQL over one call row, for this viewer and clock.
 * `bind` turns a value into a query parameter (TypeORM's `:name`, or pg's `$n`).
 */
export function disputabilitySqlFacts(
  c: CallColumns,
  viewer: Pick<Viewer, 'accountId' | 'permissions'>,
  now: Date,
  bind: (value: unknown) => string,
): DisputabilitySqlFacts {
  const account = disputingAccountOf(viewer);
  return {
    canDispute: account === null ? 'FALSE' : `(${c.buyerId} = ${bind(account)})`,
    callStatus: c.status,
    startedAt: c.startedAt,
    windowHours: `COALESCE(
      (SELECT cp.dispute_window_hours FROM campaigns cp WHERE cp.id = ${c.campaignId}),
      (SELECT a.dispute_window_hours FROM accounts a WHERE a.id = ${c.buyerId}))`,
    hasDisputeIn: (statuses) =>
      `EXISTS (SELECT 1 FROM disputes dd WHERE dd.call_id = ${c.id} AND dd.status = ANY (${bind(statuses)}))`,
    now: bind(now),
    bind,
  };
}

/** `evaluateDisputability` as SQL: `allowed` a boolean, `blockedBy` the first block or NULL. */
export function disputabilitySql(q: DisputabilitySqlFacts): { allowed: string; blockedBy: string } {
  const blocks = DISPUTE_BLOCKS.map((b) => ({ b, sql: `(${BLOCK_RULES[b].sql(q)})` }));
  return {
    allowed: `NOT (${blocks.map((x) => x.sql).join(' OR ')})`,
    blockedBy: `CASE ${blocks.map((x) => `WHEN ${x.sql} THEN '${x.b}'`).join(' ')} END`,
  };
}
