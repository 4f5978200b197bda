import type { CallStatus } from '../calls/call.entity';
import type { DisputeStatus } from './dispute.entity';
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

/** The error createDispute answers with for each block. */
export const BLOCK_ERROR: Record<DisputeBlock, ErrorCode> = {
  NO_PERMISSION: ErrorCode.FORBIDDEN,
  STATUS_NOT_DISPUTABLE: ErrorCode.CALL_NOT_DISPUTABLE,
  WINDOW_EXPIRED: ErrorCode.DISPUTE_WINDOW_EXPIRED,
  DISPUTE_PENDING: ErrorCode.DISPUTE_ALREADY_ACTIVE,
  ALREADY_ADJUSTED: ErrorCode.CALL_ALREADY_ADJUSTED,
};

export const BLOCK_MESSAGE: Record<DisputeBlock, string> = {
  NO_PERMISSION: 'Disputing calls needs the DISPUTE_CALLS permission.',
  STATUS_NOT_DISPUTABLE:
    'Only calls with status COMPLETED_WITH_CONVERSION or CALL_NOT_CONNECTED_WITH_CONVERSION can be disputed.',
  WINDOW_EXPIRED: 'The Dispute Window of this call has ended.',
  DISPUTE_PENDING: 'This call already has a pending dispute.',
  ALREADY_ADJUSTED: 'A dispute of this call was already accepted; it cannot be disputed again.',
};

export interface DisputabilityFacts {
  /** The viewer holds DISPUTE_CALLS (visibility of the call is checked before this). */
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
 * The one rule deciding whether a call may be disputed now. `Call.disputability` shows it,
 * createDispute enforces it: the UI offers the action exactly where the mutation succeeds.
 */
export function evaluateDisputability(f: DisputabilityFacts): Disputability {
  const endsAt = windowEndsAt(f.startedAt, f.windowHours);
  const blocks: Record<DisputeBlock, boolean> = {
    NO_PERMISSION: !f.canDispute,
    STATUS_NOT_DISPUTABLE: !DISPUTABLE_STATUSES.includes(f.callStatus),
    WINDOW_EXPIRED: f.now.getTime() >= endsAt.getTime(),
    DISPUTE_PENDING: f.disputeStatuses.includes('PENDING'),
    ALREADY_ADJUSTED: f.disputeStatuses.some((s) => ADJUSTING_STATUSES.includes(s)),
  };
  const blockedBy = DISPUTE_BLOCKS.find((b) => blocks[b]) ?? null;
  return { allowed: blockedBy === null, blockedBy, windowEndsAt: endsAt };
}
