import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { DateTimeScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';
import { MaxItems } from '../platform/list-size';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryEntity,
  type WebhookDeliveryStatus,
  type WebhookEventName,
} from './webhook.entity';
import {
  DISPUTE_EVENT_NAMES,
  notificationKindOf,
  webhookNameOf,
  type WebhookEventType,
} from '../disputes/dispute-events';

/**
 * The GraphQL names of the event kinds, and the names they travel under (rule 17): both derived
 * from the dispute events (disputes/dispute-events.ts).
 */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] =
  DISPUTE_EVENT_NAMES.map(notificationKindOf);
export type { WebhookEventType };

export const EVENT_NAME = Object.fromEntries(
  DISPUTE_EVENT_NAMES.map((e) => [notificationKindOf(e), webhookNameOf(e)]),
) as Record<WebhookEventType, WebhookEventName>;
export const EVENT_TYPE = Object.fromEntries(
  DISPUTE_EVENT_NAMES.map((e) => [webhookNameOf(e), notificationKindOf(e)]),
) as Record<WebhookEventName, WebhookEventType>;

export const WebhookEventTypeEnum = graphqlEnum(WEBHOOK_EVENT_TYPES, {
  name: 'WebhookEventType',
  description: 'A kind of dispute event sent to webhook endpoints (Disputes-Event-Type header).',
  values: {
    DISPUTE_CREATED: '`dispute.created`: a buyer user sent a dispute.',
    DISPUTE_RESOLVED: '`dispute.resolved`: a dispute was decided.',
    DISPUTE_WITHDRAWN: '`dispute.withdrawn`: a buyer user withdrew a dispute.',
    DISPUTE_COMMENTED: '`dispute.commented`: a SHARED comment was added to a dispute.',
    DISPUTE_REOPENED:
      '`dispute.reopened`: a manager took a decision back; the dispute is PENDING again (decision null).',
  },
});

export const WebhookDeliveryStatusEnum = graphqlEnum(WEBHOOK_DELIVERY_STATUSES, {
  name: 'WebhookDeliveryStatus',
  description: 'Where one delivery of an event to an endpoint stands.',
  values: {
    PENDING: 'Not yet delivered; nextAttemptAt says when it is tried (again).',
    SUCCEEDED: 'An attempt got a 2xx answer.',
    FAILED: 'Every attempt failed; only redeliverWebhook tries again.',
  },
});

@ObjectType({ description: 'One event sent (or to be sent) to one endpoint, with its attempts.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The delivery ID (for redeliverWebhook).' })
  id!: string;
  @Field(() => ID, {
    description:
      "The event's ID, the same in the payload and the Disputes-Event-Id header, and across redeliveries.",
  })
  eventId!: string;
  @Field(() => WebhookEventTypeEnum, { description: 'The kind of event.' })
  eventType!: WebhookEventType;
  @Field(() => WebhookDeliveryStatusEnum, { description: 'Where the delivery stands.' })
  status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far (redeliveries keep counting).' })
  attempts!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last attempt started.' })
  lastAttemptAt!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'HTTP status of the last attempt; null if it got none (timeout, refused connection).',
  })
  lastResponseStatus!: number | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it is tried next; null once SUCCEEDED or FAILED.',
  })
  nextAttemptAt!: Date | null;
  @Field(() => DateTimeScalar, { description: 'When the event was queued, with its change.' })
  createdAt!: Date;
}

export const WebhookDeliveryConnection = connectionTypes(
  'WebhookDelivery',
  WebhookDelivery,
  'webhook delivery',
  'webhook deliveries',
);

/** Root value of WebhookDelivery: the row, with the event type as its GraphQL name. */
export function deliveryValue(d: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: EVENT_TYPE[d.eventType],
    status: d.status,
    attempts: d.attempts,
    lastAttemptAt: d.lastAttemptAt,
    lastResponseStatus: d.lastResponseStatus,
    // While an attempt runs, next_attempt_at holds its lease: still when it is tried again at the latest.
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
  };
}

@ObjectType({ description: 'A URL that receives signed dispute events (rule 17).' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'The endpoint ID.' })
  id!: string;
  @Field({ description: 'Where events are POSTed.' })
  url!: string;
  @MaxItems(WEBHOOK_EVENT_TYPES.length)
  @Field(() => [WebhookEventTypeEnum], {
    description: `The kinds of event it receives (at most ${WEBHOOK_EVENT_TYPES.length}).`,
  })
  events!: WebhookEventType[];
  /** The buyer account it belongs to; null for a platform endpoint. */
  accountId!: string | null;
  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: Date;
}

@ObjectType({ description: 'A new endpoint and its signing secret, shown only this once.' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;
  @Field({
    description:
      'The signing secret (at least 32 random bytes, encoded), used whole as the HMAC key. Shown only here, once.',
  })
  secret!: string;
}

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({
    description:
      'Absolute http or https URL, at most 2,048 characters, no user or password; https and a public address in production.',
  })
  url!: string;
  @Field(() => [WebhookEventTypeEnum], {
    description: 'The kinds of event to receive; at least one.',
  })
  events!: WebhookEventType[];
}

/** Root value of WebhookEndpoint: the row without its secret, events by their GraphQL names. */
export function endpointValue(e: {
  id: string;
  url: string;
  events: readonly WebhookEventName[];
  accountId: string | null;
  createdAt: Date;
}): WebhookEndpoint {
  return {
    id: e.id,
    url: e.url,
    events: e.events.map((name) => EVENT_TYPE[name]),
    accountId: e.accountId,
    createdAt: e.createdAt,
  };
}
