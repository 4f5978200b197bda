import { randomUUID } from 'node:crypto';
import { endpointsReceivingSql } from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { decidedAutomatically } from '../accounts/system-user';
import { formatMinor } from '../platform/money';
import type { DisputeEntity } from '../disputes/dispute.entity';
import type { WebhookEventName } from './webhook.entity';
import { webhookNameOf } from '../disputes/dispute-events';
import type { DisputeEventFacts } from '../disputes/dispute-fan-out';
import { queueDeliveriesSql, wakeWorkersSql } from './webhook.queries';
import type { StatementPart } from '../platform/statement-parts';

/** The channel the delivery workers LISTEN on; a NOTIFY on it reaches them at commit. */
export const WEBHOOK_CHANNEL = 'webhook_deliveries';

/** The dispute as a webhook payload shows it (rule 17). Amounts are Decimal strings. */
export interface WebhookDisputeData {
  id: string;
  callId: string;
  buyerId: string;
  status: string;
  reason: string;
  createdAt: string;
  decision: {
    outcome: string;
    adjustment: { amount: string; currency: string };
    comment: string | null;
    decidedAt: string;
    automatic: boolean;
  } | null;
}

/** A comment as a `dispute.commented` payload shows it; only SHARED comments are sent. */
export interface WebhookCommentData {
  id: string;
  body: string;
  authorRole: string;
  createdAt: string;
}

/** The dispute's fields a payload reads; `status` is a string so new lifecycle statuses fit. */
export type WebhookDisputeSource = Pick<
  DisputeEntity,
  | 'id'
  | 'callId'
  | 'buyerId'
  | 'reason'
  | 'createdAt'
  | 'decidedAt'
  | 'decidedById'
  | 'adjustmentMinor'
  | 'decisionComment'
> & { status: string };

export interface WebhookCommentSource {
  id: string;
  body: string;
  authorRole: string;
  createdAt: Date;
}

/** `data` of every dispute event: the dispute as it is after the change, and the comment if any. */
export interface WebhookEventData {
  dispute: WebhookDisputeData;
  comment: WebhookCommentData | null;
}

/** Rule 17's body, exactly as `webhookBody` writes it. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventName;
  createdAt: string;
  data: WebhookEventData;
}

/** The event's `data` from the dispute after the change; `currency` prices the decision. */
export function webhookEventData(
  dispute: WebhookDisputeSource,
  currency: string,
  comment: WebhookCommentSource | null = null,
): WebhookEventData {
  // decided_at is set exactly for the decided statuses (a table check), never for WITHDRAWN.
  const decided = dispute.decidedAt !== null;
  return {
    dispute: {
      id: dispute.id,
      callId: dispute.callId,
      buyerId: dispute.buyerId,
      status: dispute.status,
      reason: dispute.reason,
      createdAt: dispute.createdAt.toISOString(),
      decision: decided
        ? {
            outcome: dispute.status,
            adjustment: { amount: formatMinor(dispute.adjustmentMinor ?? 0), currency },
            comment: dispute.decisionComment,
            decidedAt: dispute.decidedAt!.toISOString(),
            automatic: decidedAutomatically(dispute),
          }
        : null,
    },
    comment: comment
      ? {
          id: comment.id,
          body: comment.body,
          authorRole: comment.authorRole,
          createdAt: comment.createdAt.toISOString(),
        }
      : null,
  };
}

/** One event about a dispute of `buyerId`, as the change that makes it describes it. */
export interface WebhookEvent {
  type: WebhookEventName;
  /** The buyer account the event is about: routes it to that account's endpoints. */
  buyerId: string;
  /** When it happened (the server's clock): the payload's `createdAt`. */
  at: Date;
  data: WebhookEventData;
}

/** The exact body of an event; stored once per delivery, sent as is on every attempt. */
export function webhookBody(eventId: string, event: WebhookEvent): string {
  const payload: WebhookPayload = {
    id: eventId,
    type: event.type,
    createdAt: event.at.toISOString(),
    data: event.data,
  };
  return JSON.stringify(payload);
}

/**
 * The webhooks step of every dispute event (disputes/dispute-fan-out.ts), a part of its
 * statement: the outbox, one delivery per endpoint subscribed to the event (the account's and the
 * platform's, auth/visibility.ts), and a NOTIFY that wakes the workers at commit when there is a
 * delivery. Nothing is sent before the commit; nothing committed is lost. Webhooks get every
 * event, a creation decided at once included (rule 15: created, then resolved).
 */
export function queueDisputeEvent(f: DisputeEventFacts): StatementPart {
  const event: WebhookEvent = {
    type: webhookNameOf(f.event),
    buyerId: f.dispute.buyerId,
    at: f.actor.at,
    data: webhookEventData(f.dispute, f.currency, f.comment ?? null),
  };
  const eventId = randomUUID();
  const params: unknown[] = [eventId, event.type, webhookBody(eventId, event)];
  const receiving = endpointsReceivingSql('e', event.buyerId, positional(params));
  // FOR KEY SHARE waits for a delete holding the endpoint's row (deleteEndpoint locks it FOR
  // UPDATE) and then reads the row again: a deleted endpoint gets no delivery that its delete,
  // committed first, could not see and drop.
  return {
    write: queueDeliveriesSql(receiving),
    select: (queued) => wakeWorkersSql(queued, WEBHOOK_CHANNEL),
    params,
  };
}
