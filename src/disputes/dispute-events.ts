import type { Audience } from '../auth/visibility';
import type { DisputeStatus } from './dispute.entity';

/**
 * Every event of a dispute, named once. Every other name an event travels under is derived
 * from this list by the functions and types below, so the compiler keeps them in step:
 *
 * | event     | notification kind   | live change | webhook (name / GraphQL type)          |
 * | --------- | ------------------- | ----------- | -------------------------------------- |
 * | CREATED   | `DISPUTE_CREATED`   | `created`   | `dispute.created` / `DISPUTE_CREATED`  |
 * | …         | `DISPUTE_<event>`   | lower case  | `dispute.<lower case>` / `DISPUTE_<event>` |
 *
 * Adding an event is one entry here and in DISPUTE_EVENT_SPECS (its move, its history row, its
 * notification's recipients), then the effects the compiler asks for: each table keyed by
 * DisputeEventName (the notification's wording, the GraphQL enums' descriptions) fails to
 * compile until it has the new entry. Every event then goes through one fan-out
 * (dispute-fan-out.ts).
 */
export const DISPUTE_EVENT_NAMES = [
  'CREATED',
  'RESOLVED',
  'WITHDRAWN',
  'COMMENTED',
  'REOPENED',
] as const;
export type DisputeEventName = (typeof DISPUTE_EVENT_NAMES)[number];

/** The in-app notification kind of an event (NotificationKind in GraphQL). */
export type NotificationKind = `DISPUTE_${DisputeEventName}`;
/** The change a live event carries between instances (NOTIFY payload). */
export type LiveChange = Lowercase<DisputeEventName>;
/** The name a webhook event travels under (payload `type`, Disputes-Event-Type header). */
export type WebhookEventName = `dispute.${LiveChange}`;
/** A webhook event's GraphQL name (WebhookEventType), the same as its notification kind. */
export type WebhookEventType = NotificationKind;

export const notificationKindOf = (event: DisputeEventName): NotificationKind => `DISPUTE_${event}`;
export const liveChangeOf = (event: DisputeEventName): LiveChange =>
  event.toLowerCase() as LiveChange;
export const webhookNameOf = (event: DisputeEventName): WebhookEventName =>
  `dispute.${liveChangeOf(event)}`;

/** The event a derived name stands for; undefined for a name of no event. */
export function eventOfKind(kind: string): DisputeEventName | undefined {
  return DISPUTE_EVENT_NAMES.find((e) => notificationKindOf(e) === kind);
}
export function eventOfLiveChange(change: unknown): DisputeEventName | undefined {
  return DISPUTE_EVENT_NAMES.find((e) => liveChangeOf(e) === change);
}
export function eventOfWebhookName(name: string): DisputeEventName | undefined {
  return DISPUTE_EVENT_NAMES.find((e) => webhookNameOf(e) === name);
}

export const NOTIFICATION_KINDS = DISPUTE_EVENT_NAMES.map(notificationKindOf);
export const WEBHOOK_EVENT_NAMES = DISPUTE_EVENT_NAMES.map(webhookNameOf);
export const LIVE_CHANGES = DISPUTE_EVENT_NAMES.map(liveChangeOf);

/** NONE is "no dispute yet": creating a dispute is a move too. */
export type FromStatus = DisputeStatus | 'NONE';

export const DECIDED_STATUSES = ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'] as const;
export type DecisionStatus = (typeof DECIDED_STATUSES)[number];

export interface DisputeEventSpec {
  /** The status change the event is, or null: a comment changes no status. */
  move: { from: readonly FromStatus[]; to: readonly DisputeStatus[] } | null;
  /** Whether it writes a row of the dispute's history (dispute_events). */
  history: boolean;
  /** Whom its notifications address (rules 8, 12, 13; auth/visibility.ts reads the audience). */
  recipients: Audience;
}

/** Each event's move, history row and recipients (rules 7, 8, 12, 13, 17, 20). */
export const DISPUTE_EVENT_SPECS = {
  CREATED: { move: { from: ['NONE'], to: ['PENDING'] }, history: true, recipients: 'MANAGER' },
  RESOLVED: {
    move: { from: ['PENDING'], to: DECIDED_STATUSES },
    history: true,
    recipients: 'BUYER',
  },
  WITHDRAWN: {
    move: { from: ['PENDING'], to: ['WITHDRAWN'] },
    history: true,
    recipients: 'MANAGER',
  },
  COMMENTED: { move: null, history: false, recipients: 'other side' },
  /** A manager takes a decision back (rule 20); told from CREATED by where it starts. */
  REOPENED: {
    move: { from: DECIDED_STATUSES, to: ['PENDING'] },
    history: true,
    recipients: 'BUYER',
  },
} as const satisfies Record<DisputeEventName, DisputeEventSpec>;

/** The events that write a history row: DisputeEventType in GraphQL. */
export type HistoryEventName = {
  [E in DisputeEventName]: (typeof DISPUTE_EVENT_SPECS)[E]['history'] extends true ? E : never;
}[DisputeEventName];
export const HISTORY_EVENT_NAMES = DISPUTE_EVENT_NAMES.filter(
  (e): e is HistoryEventName => DISPUTE_EVENT_SPECS[e].history,
);

/** The event a status change is, or undefined when no event allows it. */
export function eventOfMove(from: FromStatus, to: DisputeStatus): DisputeEventName | undefined {
  return DISPUTE_EVENT_NAMES.find((e) => {
    const move: DisputeEventSpec['move'] = DISPUTE_EVENT_SPECS[e].move;
    return move !== null && move.from.includes(from) && move.to.includes(to);
  });
}
