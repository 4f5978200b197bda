import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CallEntity } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../platform/errors';
import { publishInTransaction, type DisputeLiveEvent } from '../notifications/live-events';
import {
  notifyDisputeCreated,
  notifyDisputeResolved,
  notifyDisputeWithdrawn,
} from '../notifications/notification.service';
import {
  disputeRowMapper,
  type DisputeEntity,
  type DisputeReason,
  type DisputeStatus,
} from './dispute.entity';
import type { DisputeEventEntity } from './dispute-event.entity';
import { queueWebhookEvent, webhookEventData } from '../webhooks/webhook-events';
import type { WebhookEventName } from '../webhooks/webhook.entity';

/*
 * The only module that writes `disputes` rows and `dispute_events`: every change of a
 * dispute's status is a move in MOVES, made by `transition` inside the caller's transaction.
 */

/** Every allowed move. NONE is "no dispute yet", so creating a dispute is a move too. */
export const MOVES = {
  NONE: ['PENDING'],
  PENDING: ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'],
  ACCEPTED: [],
  ACCEPTED_PARTIAL: [],
  REJECTED: [],
  WITHDRAWN: [],
} as const satisfies Record<'NONE' | DisputeStatus, readonly DisputeStatus[]>;

export type DecisionStatus = 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED';
export const DECISIONS: readonly DecisionStatus[] = ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'];

export function canMove(from: DisputeStatus | 'NONE', to: DisputeStatus): boolean {
  return (MOVES[from] as readonly DisputeStatus[]).includes(to);
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
      ? `This dispute is no longer pending: it was decided (${status}); decisions are final.`
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
      /** The buyer takes the dispute back (rule 12): no decision, payout unchanged. */
      to: 'WITHDRAWN';
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
  /** The disputed call, as read before the move (its payout is payoutBeforeMinor). */
  call: CallEntity;
  from: DisputeStatus | null;
  to: DisputeStatus;
  actor: Actor;
  payoutBeforeMinor: number;
  payoutAfterMinor: number;
  currency: string;
  /**
   * A creation that the same transaction decides next (Move.decidedAtOnce): notifications and
   * the live event skip it; the history (and, by rule 15, webhooks) record it.
   */
  decidedAtOnce: boolean;
}

/** Every decision has the same effects; only the notification's wording reads the outcome. */
const RESOLVED = {
  event: 'RESOLVED',
  live: 'resolved',
  webhook: 'dispute.resolved',
  notify: (em: EntityManager, t: Transitioned) =>
    notifyDisputeResolved(em, t.dispute, t.call.callerId, t.currency),
} as const;

/**
 * Per target status: its history event type, its notifications, its live event and its
 * webhook event (rule 17).
 */
const EFFECTS: Record<
  DisputeStatus,
  {
    event: DisputeEventEntity['type'];
    live: DisputeLiveEvent['change'];
    webhook: WebhookEventName;
    notify: (em: EntityManager, t: Transitioned) => Promise<void>;
  }
> = {
  PENDING: {
    event: 'CREATED',
    live: 'created',
    webhook: 'dispute.created',
    notify: (em, t) => notifyDisputeCreated(em, t.dispute, t.call.callerId),
  },
  ACCEPTED: RESOLVED,
  ACCEPTED_PARTIAL: RESOLVED,
  REJECTED: RESOLVED,
  WITHDRAWN: {
    event: 'WITHDRAWN',
    live: 'withdrawn',
    webhook: 'dispute.withdrawn',
    notify: (em, t) => notifyDisputeWithdrawn(em, t.dispute, t.call.callerId),
  },
};

const storedDispute = disputeRowMapper('');

/**
 * What runs after every move, in order, in the same transaction: the history event, the
 * notifications, the webhook outbox rows, then the live event (a NOTIFY, delivered only when
 * the transaction commits). A new consumer of every change is one more entry here.
 */
const CONSUMERS: readonly ((em: EntityManager, t: Transitioned) => Promise<void>)[] = [
  async (em, t) => {
    await em.query(
      `INSERT INTO dispute_events (id, dispute_id, type, at, actor_id, status_before,
         status_after, payout_before_minor, payout_after_minor, currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        randomUUID(),
        t.dispute.id,
        EFFECTS[t.to].event,
        t.actor.at,
        t.actor.id,
        t.from,
        t.to,
        t.payoutBeforeMinor,
        t.payoutAfterMinor,
        t.currency,
      ],
    );
  },
  async (em, t) => {
    if (!t.decidedAtOnce) await EFFECTS[t.to].notify(em, t);
  },
  // Webhooks get every move, a creation decided at once included (rule 15: created, then resolved).
  async (em, t) => {
    await queueWebhookEvent(em, {
      type: EFFECTS[t.to].webhook,
      buyerId: t.dispute.buyerId,
      at: t.actor.at,
      data: webhookEventData(t.dispute, t.currency),
    });
  },
  async (em, t) => {
    if (t.decidedAtOnce) return;
    await publishInTransaction(em, {
      kind: 'dispute',
      change: EFFECTS[t.to].live,
      disputeId: t.dispute.id,
      buyerId: t.dispute.buyerId,
    });
  },
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
  let dispute: DisputeEntity;
  // RETURNING gives the row as stored (status_rank is computed by the database).
  if (move.to === 'PENDING') {
    const rows = (await em.query(
      `INSERT INTO disputes (id, call_id, buyer_id, status, reason, additional_info,
         call_started_at, created_by, created_at, review_due_at)
       VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9)
       RETURNING *`,
      [
        randomUUID(),
        subject.call.id,
        subject.call.buyerId,
        move.reason,
        move.additionalInfo,
        subject.call.startedAt,
        actor.id,
        actor.at,
        move.reviewDueAt,
      ],
    )) as Record<string, unknown>[];
    dispute = storedDispute(rows[0]!);
  } else if (move.to === 'WITHDRAWN') {
    // Conditional like a decision: of a concurrent withdrawal and decision, one fails whole.
    const [rows] = (await em.query(
      `UPDATE disputes SET status = 'WITHDRAWN', withdrawn_at = $3, withdrawn_by = $4
        WHERE id = $1 AND status = $2
        RETURNING *`,
      [subject.dispute!.id, from, actor.at, actor.id],
    )) as [Record<string, unknown>[], number];
    if (rows.length !== 1) throw alreadyResolved(null);
    dispute = storedDispute(rows[0]!);
  } else {
    // Conditional on the status read, so a concurrent move makes this one fail whole.
    const [rows] = (await em.query(
      `UPDATE disputes
          SET status = $3, decided_at = $4, decided_by = $5, adjustment_minor = $6,
              decision_comment = $7
        WHERE id = $1 AND status = $2
        RETURNING *`,
      [subject.dispute!.id, from, move.to, actor.at, actor.id, move.adjustmentMinor, move.comment],
    )) as [Record<string, unknown>[], number];
    if (rows.length !== 1) throw alreadyResolved(null);
    dispute = storedDispute(rows[0]!);
    if (move.adjustmentMinor > 0) {
      payoutAfterMinor = payoutBeforeMinor - move.adjustmentMinor;
      await em.query('UPDATE calls SET payout_minor = $2 WHERE id = $1', [
        subject.call.id,
        payoutAfterMinor,
      ]);
    }
  }

  const change: Transitioned = {
    dispute,
    call: subject.call,
    from,
    to: move.to,
    actor,
    payoutBeforeMinor,
    payoutAfterMinor,
    currency: subject.currency,
    decidedAtOnce: move.to === 'PENDING' && move.decidedAtOnce === true,
  };
  for (const consume of CONSUMERS) await consume(em, change);
  return dispute;
}
