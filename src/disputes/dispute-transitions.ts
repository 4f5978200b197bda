import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CallEntity } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../platform/errors';
import { publishInTransaction, type DisputeLiveEvent } from '../notifications/live-events';
import { notifyDisputeCreated, notifyDisputeResolved } from '../notifications/notification.service';
import { DisputeEntity, type DisputeReason, type DisputeStatus } from './dispute.entity';
import { DisputeEventEntity } from './dispute-event.entity';

/*
 * The only module that writes `disputes` rows and `dispute_events`: every change of a
 * dispute's status is a move in MOVES, made by `transition` inside the caller's transaction.
 */

/** The lifecycle's statuses: the stored ones, and WITHDRAWN (rule 12), which has no mutation yet. */
export type LifecycleStatus = DisputeStatus | 'WITHDRAWN';

/** Every allowed move. NONE is "no dispute yet", so creating a dispute is a move too. */
export const MOVES = {
  NONE: ['PENDING'],
  PENDING: ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'],
  ACCEPTED: [],
  ACCEPTED_PARTIAL: [],
  REJECTED: [],
  WITHDRAWN: [],
} as const satisfies Record<'NONE' | LifecycleStatus, readonly LifecycleStatus[]>;

export type DecisionStatus = 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED';
export const DECISIONS: readonly DecisionStatus[] = ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'];

export function canMove(from: LifecycleStatus | 'NONE', to: LifecycleStatus): boolean {
  return (MOVES[from] as readonly LifecycleStatus[]).includes(to);
}

/**
 * Refuses a move the dispute's current status does not allow. Services call it as soon as they
 * hold the dispute's row lock, before their own input rules (a retried decision must read
 * DISPUTE_ALREADY_RESOLVED whatever its amount); `transition` checks again.
 */
export function assertCanMove(dispute: DisputeEntity, to: LifecycleStatus): void {
  if (!canMove(dispute.status, to)) {
    throw new DomainError(
      ErrorCode.DISPUTE_ALREADY_RESOLVED,
      `This dispute was already decided (${dispute.status}); decisions are final.`,
    );
  }
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
      reason: DisputeReason;
      additionalInfo: string | null;
    }
  | {
      to: DecisionStatus;
      /** Minor units taken off the call's payout (0 for REJECTED). */
      adjustmentMinor: number;
      comment: string | null;
    };

/** A committed-to-be change, as every consumer of transitions sees it. */
export interface Transitioned {
  dispute: DisputeEntity;
  from: DisputeStatus | null;
  to: DisputeStatus;
  actor: Actor;
  payoutBeforeMinor: number;
  payoutAfterMinor: number;
  currency: string;
}

/** Per target status: its history event type, its notifications, its live event. */
const EFFECTS: Record<
  DisputeStatus,
  {
    event: DisputeEventEntity['type'];
    live: DisputeLiveEvent['change'];
    notify: (em: EntityManager, dispute: DisputeEntity) => Promise<void>;
  }
> = {
  PENDING: { event: 'CREATED', live: 'created', notify: notifyDisputeCreated },
  ACCEPTED: { event: 'RESOLVED', live: 'resolved', notify: notifyDisputeResolved },
  ACCEPTED_PARTIAL: { event: 'RESOLVED', live: 'resolved', notify: notifyDisputeResolved },
  REJECTED: { event: 'RESOLVED', live: 'resolved', notify: notifyDisputeResolved },
};

/**
 * What runs after every move, in order, in the same transaction: the history event, the
 * notifications, then the live event (a NOTIFY, delivered only when the transaction commits).
 * A new consumer of every change (e.g. a webhook outbox row) is one more entry here.
 */
const CONSUMERS: readonly ((em: EntityManager, t: Transitioned) => Promise<void>)[] = [
  async (em, t) => {
    await em.getRepository(DisputeEventEntity).insert({
      id: randomUUID(),
      disputeId: t.dispute.id,
      type: EFFECTS[t.to].event,
      at: t.actor.at,
      actorId: t.actor.id,
      statusBefore: t.from,
      statusAfter: t.to,
      payoutBeforeMinor: t.payoutBeforeMinor,
      payoutAfterMinor: t.payoutAfterMinor,
      currency: t.currency,
    });
  },
  (em, t) => EFFECTS[t.to].notify(em, t.dispute),
  (em, t) =>
    publishInTransaction(em, {
      kind: 'dispute',
      change: EFFECTS[t.to].live,
      disputeId: t.dispute.id,
      buyerId: t.dispute.buyerId,
    }),
];

/**
 * The one way a dispute changes: checks the move against MOVES, writes the dispute (and the
 * call's payout), then runs every consumer, all on the caller's transaction. Returns the
 * dispute as stored.
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
  else if (!canMove('NONE', move.to)) throw new Error(`A dispute cannot start as ${move.to}.`);

  const payoutBeforeMinor = subject.call.payoutMinor;
  let payoutAfterMinor = payoutBeforeMinor;
  let disputeId: string;
  if (move.to === 'PENDING') {
    disputeId = randomUUID();
    await em.getRepository(DisputeEntity).insert({
      id: disputeId,
      callId: subject.call.id,
      buyerId: subject.call.buyerId,
      status: 'PENDING',
      reason: move.reason,
      additionalInfo: move.additionalInfo,
      callStartedAt: subject.call.startedAt,
      createdById: actor.id,
      createdAt: actor.at,
      decidedAt: null,
      decidedById: null,
      adjustmentMinor: null,
      decisionComment: null,
    });
  } else {
    disputeId = subject.dispute!.id;
    // Conditional on the status read, so a concurrent move makes this one fail whole.
    const updated = await em
      .getRepository(DisputeEntity)
      .createQueryBuilder()
      .update()
      .set({
        status: move.to,
        decidedAt: actor.at,
        decidedById: actor.id,
        adjustmentMinor: move.adjustmentMinor,
        decisionComment: move.comment,
      })
      .where('id = :id AND status = :from', { id: disputeId, from })
      .execute();
    if (updated.affected !== 1) {
      throw new DomainError(
        ErrorCode.DISPUTE_ALREADY_RESOLVED,
        'This dispute was already decided.',
      );
    }
    if (move.adjustmentMinor > 0) {
      payoutAfterMinor = payoutBeforeMinor - move.adjustmentMinor;
      await em
        .getRepository(CallEntity)
        .update({ id: subject.call.id }, { payoutMinor: payoutAfterMinor });
    }
  }

  const dispute = await em.getRepository(DisputeEntity).findOneByOrFail({ id: disputeId });
  const change: Transitioned = {
    dispute,
    from,
    to: move.to,
    actor,
    payoutBeforeMinor,
    payoutAfterMinor,
    currency: subject.currency,
  };
  for (const consume of CONSUMERS) await consume(em, change);
  return dispute;
}
