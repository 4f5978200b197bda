import type { EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { isUuid } from '../platform/ids';
import { badInput, DomainError, ErrorCode, forbidden, notFound } from '../platform/errors';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../platform/database';
import { checkTextLength } from '../platform/text-input';
import { withTransaction } from '../platform/transaction';
import type { DisputeEntity, DisputeStatus } from './dispute.entity';
import { DECIDED_STATUSES, type DecisionStatus } from './dispute-events';
import { lockVisibleDispute } from './dispute-lock';
import { transition, type Actor, type Subject } from './dispute-transitions';
import { reviewDueAt } from './review-deadline';
import { REOPEN_STANDING } from './dispute.queries';

/*
 * Rule 20: a manager with EDIT_DISPUTES takes a decision back. The dispute is PENDING again
 * (REOPENED, dispute-events.ts), through the one transition and fan-out like every move.
 */

/**
 * The most times one dispute is reopened. Its history is then at most CREATED, a decision, and
 * per reopening the REOPENED event and what followed it (a decision or a withdrawal): 20
 * events, what Dispute.history answers at most, so no event of a dispute ever falls off it.
 */
export const MAX_REOPENINGS_PER_DISPUTE = 9;

/** Why a dispute cannot be reopened now, in the order they are checked and reported. */
export const REOPEN_BLOCKS = [
  'NOT_DECIDED',
  'DECISION_TOO_OLD',
  'LATER_DISPUTE',
  'PENDING_DISPUTE',
] as const;
export type ReopenBlock = (typeof REOPEN_BLOCKS)[number];

/** What the rule reads about one dispute and its call, read under their row locks. */
export interface ReopenFacts {
  status: DisputeStatus;
  decidedAt: Date | null;
  /** Another dispute of the call was created after this one (createdAt, then ID). */
  laterDispute: boolean;
  /** Some dispute of the call is PENDING. */
  pendingDispute: boolean;
  /** REOPEN_WINDOW_HOURS. */
  windowHours: number;
  /** The server's clock. */
  now: Date;
}

const hours = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;

const isDecided = (status: DisputeStatus): status is DecisionStatus =>
  (DECIDED_STATUSES as readonly DisputeStatus[]).includes(status);

/** The last instant a decision made at `decidedAt` may be reopened: it is then this old. */
export function reopenWindowEndsAt(decidedAt: Date, windowHours: number): Date {
  return new Date(decidedAt.getTime() + windowHours * 3_600_000);
}

const RULES: Record<
  ReopenBlock,
  { holds(f: ReopenFacts): boolean; message(f: ReopenFacts): string }
> = {
  NOT_DECIDED: {
    holds: (f) => !isDecided(f.status) || f.decidedAt === null,
    message: (f) =>
      f.status === 'WITHDRAWN'
        ? 'This dispute was withdrawn by the buyer; only a decided dispute can be reopened.'
        : 'This dispute is still pending; only a decided dispute can be reopened.',
  },
  DECISION_TOO_OLD: {
    holds: (f) => f.now.getTime() > reopenWindowEndsAt(f.decidedAt!, f.windowHours).getTime(),
    message: (f) =>
      `This decision is more than ${hours(f.windowHours)} old; a decision can be reopened for ${hours(f.windowHours)}.`,
  },
  LATER_DISPUTE: {
    holds: (f) => f.laterDispute,
    message: () =>
      'The call was disputed again after this dispute; only its latest dispute can be reopened.',
  },
  PENDING_DISPUTE: {
    holds: (f) => f.pendingDispute,
    message: () => 'The call has a pending dispute; only one dispute of a call is pending at once.',
  },
};

/** The first block that applies, or null when the dispute may be reopened now. */
export function reopenBlock(f: ReopenFacts): ReopenBlock | null {
  return REOPEN_BLOCKS.find((b) => RULES[b].holds(f)) ?? null;
}

const notReopenable = (message: string) =>
  new DomainError(ErrorCode.DISPUTE_NOT_REOPENABLE, message);

/** What the locked rows do not say: the call's other disputes and the dispute's history. */
interface Standing {
  later: boolean;
  pending: boolean;
  reopenings: number;
  /** The payout before the latest RESOLVED event; null when the history has none. */
  payout_before: string | null;
}

export interface Reopening {
  /** The manager's reason, trimmed. */
  note: string;
  actor: Actor;
  /** REOPEN_WINDOW_HOURS and REVIEW_SLA_HOURS. */
  windowHours: number;
  reviewSlaHours: number;
}

/**
 * Reopens a dispute whose row and call the caller has locked in its transaction (so every
 * creation, decision and reopening of the call queues up behind it): checks the rule, then
 * moves it back to PENDING. The call's payout returns to what it was just before the decision,
 * as its RESOLVED event recorded it; a dispute written as a record of the past without one
 * (fixtures) gets back what its decision took off. Either is kept within the call's original
 * payout, which an import may have lowered since.
 */
export async function reopenLocked(
  em: EntityManager,
  subject: Subject & { dispute: DisputeEntity },
  r: Reopening,
): Promise<DisputeEntity> {
  const { dispute, call } = subject;
  const [standing] = (await em.query(REOPEN_STANDING, [dispute.id])) as Standing[];
  const facts: ReopenFacts = {
    status: dispute.status,
    decidedAt: dispute.decidedAt,
    laterDispute: standing!.later,
    pendingDispute: standing!.pending,
    windowHours: r.windowHours,
    now: r.actor.at,
  };
  const block = reopenBlock(facts);
  if (block) throw notReopenable(RULES[block].message(facts));
  if (!r.note) throw badInput('reason', 'is empty; write 1 to 2,000 characters.');
  checkTextLength('reason', r.note);
  if (standing!.reopenings >= MAX_REOPENINGS_PER_DISPUTE) {
    throw badInput(
      'disputeId',
      `names a dispute already reopened ${MAX_REOPENINGS_PER_DISPUTE} times, the most one may be.`,
    );
  }
  const before =
    standing!.payout_before !== null
      ? Number(standing!.payout_before)
      : call.payoutMinor + (dispute.adjustmentMinor ?? 0);
  return transition(
    em,
    subject,
    {
      to: 'PENDING',
      reopen: { note: r.note, payoutMinor: Math.min(before, call.originalPayoutMinor) },
      reviewDueAt: reviewDueAt(r.actor.at, r.reviewSlaHours),
    },
    r.actor,
  );
}

export interface ReopenInput {
  disputeId: string;
  reason: string;
}

/**
 * reopenDispute. Checks in the contract's order: permission (the resolver's guard, then the
 * role here: a manager with EDIT_DISPUTES), visibility (NOT_FOUND), then the rule
 * (DISPUTE_NOT_REOPENABLE, before the reason, so a retried reopening always reads it), then
 * the reason. Of concurrent reopenings, decisions and new disputes of one call, the row locks
 * make each read what the one before it left; the unique index of pending disputes holds the
 * rule even without them, and its refusal is answered with the rule's code.
 */
export async function reopenDispute(
  ctx: Context,
  viewer: Viewer,
  input: ReopenInput,
): Promise<DisputeEntity> {
  if (viewer.role !== 'MANAGER' || !viewer.permissions.has('EDIT_DISPUTES')) {
    throw forbidden('Reopening a decision needs a manager with the EDIT_DISPUTES permission.');
  }
  if (!isUuid(input.disputeId)) throw notFound('dispute', input.disputeId);
  const note = input.reason.trim();
  try {
    return await withTransaction(ctx.app.ds, async (em) => {
      // The dispute and its call: the payout changes, and a new dispute of the call waits.
      const locked = await lockVisibleDispute(em, viewer, input.disputeId, { lockCall: true });
      const reopened = await reopenLocked(em, locked, {
        note,
        actor: { id: viewer.id, at: ctx.app.now() },
        windowHours: ctx.app.config.REOPEN_WINDOW_HOURS,
        reviewSlaHours: ctx.app.config.REVIEW_SLA_HOURS,
      });
      // Later fields of this request (call.payout, call.disputability) must see the change.
      ctx.loaders.call.clear(locked.call.id);
      ctx.loaders.disputesOfCall.clear(locked.call.id);
      return reopened;
    });
  } catch (err) {
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
      throw notReopenable(RULES.PENDING_DISPUTE.message({} as ReopenFacts));
    }
    throw err;
  }
}
