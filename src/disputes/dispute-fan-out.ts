import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Role } from '../accounts/permissions';
import type { DisputeEntity, DisputeStatus } from './dispute.entity';
import type { DisputeCommentEntity } from './dispute-comment.entity';
import { DISPUTE_EVENT_SPECS, type DisputeEventName } from './dispute-events';
import { INSERT_DISPUTE_EVENT } from './dispute.queries';
import { oneStatement, type StatementPart } from '../platform/statement-parts';
import { prepared } from '../platform/prepared-statements';

/**
 * One fan-out for every dispute event, moves (dispute-transitions.ts) and comments
 * (dispute-comments.ts) alike, in the caller's transaction, as one statement of these steps'
 * parts (platform/statement-parts.ts):
 *
 * 1. `history`: the dispute's history row, for the events that have one (DISPUTE_EVENT_SPECS);
 * 2. `notifications`: the in-app notifications of the event's recipients;
 * 3. `webhooks`: the outbox rows of the endpoints that receive the event;
 * 4. `live`: the live event, a NOTIFY that PostgreSQL delivers only if the transaction commits.
 *
 * The history is this feature's own; the other steps belong to the features that consume
 * events (notifications, webhooks), which register them at start (app/registrations.ts) so
 * that this feature does not depend on them. A step missing at the first event is an error,
 * not a silent gap. A step only says what it writes: the fan-out sends every step's part at
 * once, so an event costs one round trip to the database, not one per step.
 */

/** Everything an effect may need to know about one event. */
export interface DisputeEventFacts {
  /**
   * This event's ID, given by the fan-out: its history row's where it writes one. Its
   * notifications and its live event carry it, so a live event delivers the notifications it
   * announces and no earlier ones of the same kind and dispute.
   */
  id: string;
  event: DisputeEventName;
  /** The dispute as stored after the event. */
  dispute: DisputeEntity;
  /** The disputed call's caller ID (notifications name the call by it). */
  callerId: string;
  /** The buyer account's currency, for amounts in the history and the webhook payload. */
  currency: string;
  /** Who caused it, and when (the server's clock). */
  actor: { id: string; at: Date };
  /** For a move: the statuses and the call's payout before and after. */
  move?: {
    from: DisputeStatus | null;
    to: DisputeStatus;
    payoutBeforeMinor: number;
    payoutAfterMinor: number;
    /** The history row's note: the manager's reason for REOPENED (rule 20); else absent. */
    note?: string;
  };
  /** For COMMENTED: the SHARED comment (an INTERNAL one is no event) and its author's role. */
  comment?: DisputeCommentEntity & { authorRole: Role };
  /**
   * False for a creation that the same transaction decides next (rule 15's automatic
   * acceptance): it is recorded (history, webhooks) but not announced (notifications, live),
   * so the decision alone is announced.
   */
  announced: boolean;
}

/** A step's part of the event's statement, or null when the event needs nothing of it. */
export type EventEffect = (facts: DisputeEventFacts) => StatementPart | null;

/** The steps in their order; `history` is this module's own. */
const STEPS = ['history', 'notifications', 'webhooks', 'live'] as const;
export type RegisteredStep = Exclude<(typeof STEPS)[number], 'history'>;

const registered = new Map<RegisteredStep, EventEffect>();

/** Registers the effect of one step (once per process; a second registration replaces it). */
export function registerEventEffect(step: RegisteredStep, effect: EventEffect): void {
  registered.set(step, effect);
}

/** The history row of a move (append-only: a trigger refuses UPDATE and DELETE). */
const writeHistory: EventEffect = (f) =>
  DISPUTE_EVENT_SPECS[f.event].history && f.move
    ? {
        write: INSERT_DISPUTE_EVENT,
        params: [
          f.id,
          f.dispute.id,
          f.event,
          f.actor.at,
          f.actor.id,
          f.move.from,
          f.move.to,
          f.move.payoutBeforeMinor,
          f.move.payoutAfterMinor,
          f.currency,
          f.move.note ?? null,
        ],
      }
    : null;

/** Runs every step for one event, as one statement on the caller's transaction. */
export async function fanOut(
  em: EntityManager,
  event: Omit<DisputeEventFacts, 'id'>,
): Promise<void> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('A dispute event fans out inside the transaction that writes it.');
  }
  const facts: DisputeEventFacts = { id: randomUUID(), ...event };
  const statement = oneStatement(
    STEPS.map((step) => {
      const effect = step === 'history' ? writeHistory : registered.get(step);
      if (!effect) throw new Error(`No "${step}" effect is registered for dispute events.`);
      return effect(facts);
    }),
  );
  // The statement's text depends on the event and its recipients: a few texts, each named.
  if (statement) await em.query(prepared(statement.sql), statement.params);
}
