import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CallEntity } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../platform/errors';
import {
  disputeRowMapper,
  type DisputeEntity,
  type DisputeReason,
  type DisputeStatus,
} from './dispute.entity';
import {
  DECIDED_STATUSES,
  eventOfMove,
  type DecisionStatus,
  type FromStatus,
} from './dispute-events';
import { fanOut } from './dispute-fan-out';
import {
  DECIDE_DISPUTE,
  INSERT_PENDING_DISPUTE,
  REOPEN_DISPUTE,
  SET_CALL_PAYOUT,
  WITHDRAW_DISPUTE,
} from './dispute.queries';

/*
 * Every change of a dispute's status in the API is a move of an event of dispute-events.ts,
 * made by `transition` inside the caller's transaction; its effects then go through the one
 * fan-out (dispute-fan-out.ts). Fixtures (import/import-write.ts) write disputes as records of
 * the past, outside this path, and announce nothing.
 */

export type { DecisionStatus };
export const DECISIONS: readonly DecisionStatus[] = DECIDED_STATUSES;

/** Whether an event of dispute-events.ts moves a dispute from `from` to `to`. */
export function canMove(from: FromStatus, to: DisputeStatus): boolean {
  return eventOfMove(from, to) !== undefined;
}

/**
 * Refuses a move the dispute's current status does not allow. Services call it as soon as they
 * hold the dispute's row lock, before their own input rules (a retried decision must read
 * DISPUTE_ALREADY_RESOLVED whatever its amount); `transition` checks again.
 */
export function assertCanMove(dispute: DisputeEntity, to: DisputeStatus): void {
  if (!canMove(dispute.status, to)) {
    throw alreadyResolved(dispute.status);
  }
}

/** DISPUTE_ALREADY_RESOLVED, worded for a decided and for a withdrawn dispute alike. */
export function alreadyResolved(status: DisputeStatus | null): DomainError {
  if (status === 'WITHDRAWN') {
    return new DomainError(
      ErrorCode.DISPUTE_ALREADY_RESOLVED,
      'This dispute was withdrawn by the buyer; it is no longer pending.',
    );
  }
  return new DomainError(
    ErrorCode.DISPUTE_ALREADY_RESOLVED,
    status
      ? `This dispute is no longer pending: it was decided (${status}); a decision stands unless a manager reopens it.`
      : 'This dispute is no longer pending: it was decided or withdrawn.',
  );
}

/** What is being moved. The caller has read it inside its transaction, under row locks. */
export interface Subject {
  /** null: no dispute yet (the move creates it). */
  dispute: DisputeEntity | null;
  /** The disputed call; locked by the caller when the move may change its payout. */
  call: CallEntity;
  /** The buyer account's currency, recorded with the payouts in the history. */
  currency: string;
}

/** Who moves it, and when (the server's clock). */
export interface Actor {
  id: string;
  at: Date;
}

export type Move =
  | {
      to: 'PENDING';
      reopen?: undefined;
      reason: DisputeReason;
      additionalInfo: string | null;
      /** createdAt plus REVIEW_SLA_HOURS (rule 14), fixed here once. */
      reviewDueAt: Date;
      /**
       * The same transaction decides the new dispute next (rule 15's automatic acceptance):
       * the creation then writes its history event but announces nothing (no notification,
       * no live event), so the decision alone is announced.
       */
      decidedAtOnce?: boolean;
    }
  | {
      /**
       * A manager takes the decision back (rule 20): no decision, a new review deadline, and
       * the call's payout as it was just before the decision.
       */
      to: 'PENDING';
      reopen: {
        /** The manager's reason, kept as the REOPENED event's note. */
        note: string;
        /** The call's payout just before the decision (its RESOLVED event's payout before). */
        payoutMinor: number;
      };
      /** Now plus REVIEW_SLA_HOURS. */
      reviewDueAt: Date;
    }
  | {
      /** The buyer takes the dispute back (rule 12): no decision, payout unchanged. */
      to: 'WITHDRAWN';
    }
  | {
      to: DecisionStatus;
      /** Minor units taken off the call's payout (0 for REJECTED). */
      adjustmentMinor: number;
      comment: string | null;
    };

const storedDispute = disputeRowMapper('');

/**
 * The one way a dispute changes: finds the event the move is (dispute-events.ts), writes the
 * dispute (and the call's payout), then fans the event out, all on the caller's transaction.
 * Returns the dispute as stored.
 */
export async function transition(
  em: EntityManager,
  subject: Subject,
  move: Move,
  actor: Actor,
): Promise<DisputeEntity> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('A dispute transition runs inside the caller’s transaction.');
  }
  const from = subject.dispute?.status ?? null;
  if (subject.dispute) assertCanMove(subject.dispute, move.to);
  const event = eventOfMove(from ?? 'NONE', move.to);
  if (!event) throw new Error(`No dispute event moves ${from ?? 'NONE'} to ${move.to}.`);
  // PENDING is reached by two events, told apart by where they start.
  if (move.to === 'PENDING' && (event === 'REOPENED') !== (move.reopen !== undefined)) {
    throw new Error(`A move to PENDING from ${from ?? 'NONE'} is ${event}, not what was asked.`);
  }

  const payoutBeforeMinor = subject.call.payoutMinor;
  let payoutAfterMinor = payoutBeforeMinor;
  let dispute: DisputeEntity;
  // RETURNING gives the row as stored (status_rank is computed by the database).
  if (move.to === 'PENDING' && move.reopen) {
    // Conditional on the status read, like a decision: of two concurrent moves one fails whole.
    const [rows] = (await em.query(REOPEN_DISPUTE, [
      subject.dispute!.id,
      from,
      move.reviewDueAt,
    ])) as [Record<string, unknown>[], number];
    if (rows.length !== 1) throw alreadyResolved(null);
    dispute = storedDispute(rows[0]!);
    payoutAfterMinor = move.reopen.payoutMinor;
    if (payoutAfterMinor !== payoutBeforeMinor) {
      await em.query(SET_CALL_PAYOUT, [subject.call.id, payoutAfterMinor]);
    }
  } else if (move.to === 'PENDING') {
    const rows = (await em.query(INSERT_PENDING_DISPUTE, [
      randomUUID(),
      subject.call.id,
      subject.call.buyerId,
      move.reason,
      move.additionalInfo,
      subject.call.startedAt,
      actor.id,
      actor.at,
      move.reviewDueAt,
    ])) as Record<string, unknown>[];
    dispute = storedDispute(rows[0]!);
  } else if (move.to === 'WITHDRAWN') {
    // Conditional like a decision: of a concurrent withdrawal and decision, one fails whole.
    const [rows] = (await em.query(WITHDRAW_DISPUTE, [
      subject.dispute!.id,
      from,
      actor.at,
      actor.id,
    ])) as [Record<string, unknown>[], number];
    if (rows.length !== 1) throw alreadyResolved(null);
    dispute = storedDispute(rows[0]!);
  } else {
    // Conditional on the status read, so a concurrent move makes this one fail whole.
    const [rows] = (await em.query(DECIDE_DISPUTE, [
      subject.dispute!.id,
      from,
      move.to,
      actor.at,
      actor.id,
      move.adjustmentMinor,
      move.comment,
    ])) as [Record<string, unknown>[], number];
    if (rows.length !== 1) throw alreadyResolved(null);
    dispute = storedDispute(rows[0]!);
    if (move.adjustmentMinor > 0) {
      payoutAfterMinor = payoutBeforeMinor - move.adjustmentMinor;
      await em.query(SET_CALL_PAYOUT, [subject.call.id, payoutAfterMinor]);
    }
  }

  await fanOut(em, {
    event,
    dispute,
    callerId: subject.call.callerId,
    currency: subject.currency,
    actor,
    move: {
      from,
      to: move.to,
      payoutBeforeMinor,
      payoutAfterMinor,
      ...(move.to === 'PENDING' && move.reopen ? { note: move.reopen.note } : {}),
    },
    announced: !(move.to === 'PENDING' && !move.reopen && move.decidedAtOnce === true),
  });
  return dispute;
}
