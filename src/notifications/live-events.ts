import type { EntityManager } from 'typeorm';
import { isUuid } from '../platform/ids';
import { ROLES, type Role } from '../accounts/permissions';
import { LIVE_CHANGES, liveChangeOf, type LiveChange } from '../disputes/dispute-events';
import type { DisputeEventFacts } from '../disputes/dispute-fan-out';
import { TABLE_NAMES, type TableName } from '../settings/table-settings-rules';
import type { TableSettingsChange } from '../settings/table-settings.service';
import { NOTIFY_LIVE } from './notification.queries';
import { oneStatement, type StatementPart } from '../platform/statement-parts';
import { prepared } from '../platform/prepared-statements';

/** The PostgreSQL channel every instance LISTENs on. */
export const LIVE_CHANNEL = 'disputes_live';

/**
 * What changed, and nothing more: NOTIFY payloads are small (under 8000 bytes) and travel to
 * every instance, so receivers load the rows themselves and check who may see them.
 */
export interface DisputeLiveEvent {
  kind: 'dispute';
  /** The dispute event it announces (disputes/dispute-events.ts). */
  change: LiveChange;
  disputeId: string;
  /** The dispute's buyer account: routes the event to that account's subscribers. */
  buyerId: string;
  /**
   * The dispute event's ID, which its notifications carry (notifications.event_id): receivers
   * send those and no earlier ones of the same kind and dispute. Absent from an instance of an
   * earlier version.
   */
  eventId?: string;
  /**
   * For `commented` only: the SHARED comment (INTERNAL ones publish nothing) and its author's
   * role, whose other side its notifications address.
   */
  comment?: { id: string; authorRole: Role };
}

/** A user saved or reset its settings of a table: routed to that user's subscriptions only. */
export interface SettingsLiveEvent {
  kind: 'settings';
  userId: string;
  table: TableName;
}

export type LiveEvent = DisputeLiveEvent | SettingsLiveEvent;

export interface LiveListener {
  /** A committed event, from whichever instance wrote it. */
  event(event: LiveEvent): void;
  /** The stream was interrupted and is back: events in between may have been missed. */
  resync(): void;
}

/**
 * Carries committed events between server instances: `subscribe` is the process-wide stream
 * that the LiveHub routes to individual subscriptions. Events enter it only through
 * publishInTransaction, the live step of every dispute event's fan-out
 * (disputes/dispute-fan-out.ts) and the announcer of table settings, so one exists exactly
 * when its transaction commits.
 */
export interface LiveBus {
  /** True while this process is listening (reported by /readyz). */
  readonly listening: boolean;
  /** Returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function encodeLiveEvent(event: LiveEvent): string {
  return JSON.stringify({ v: 1, ...event });
}

/** The event a payload names, or null for anything this version does not understand. */
export function decodeLiveEvent(payload: string | undefined): LiveEvent | null {
  if (!payload) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return null;
  }
  const e = raw as Partial<Record<keyof DisputeLiveEvent | keyof SettingsLiveEvent | 'v', unknown>>;
  if (
    e.v === 1 &&
    e.kind === 'settings' &&
    typeof e.userId === 'string' &&
    isUuid(e.userId) &&
    TABLE_NAMES.includes(e.table as TableName)
  ) {
    return { kind: 'settings', userId: e.userId, table: e.table as TableName };
  }
  if (
    e.v === 1 &&
    e.kind === 'dispute' &&
    LIVE_CHANGES.includes(e.change as LiveChange) &&
    typeof e.disputeId === 'string' &&
    isUuid(e.disputeId) &&
    typeof e.buyerId === 'string' &&
    isUuid(e.buyerId)
  ) {
    const change = e.change as DisputeLiveEvent['change'];
    if (e.eventId !== undefined && (typeof e.eventId !== 'string' || !isUuid(e.eventId)))
      return null;
    const event: DisputeLiveEvent = {
      kind: 'dispute',
      change,
      disputeId: e.disputeId,
      buyerId: e.buyerId,
      ...(e.eventId !== undefined ? { eventId: e.eventId } : {}),
    };
    if (change !== liveChangeOf('COMMENTED')) return event;
    const c = e.comment as { id?: unknown; authorRole?: unknown } | null | undefined;
    if (typeof c?.id !== 'string' || !isUuid(c.id) || !ROLES.includes(c.authorRole as Role))
      return null;
    return { ...event, comment: { id: c.id, authorRole: c.authorRole as Role } };
  }
  return null;
}

/**
 * The transactional half of every bus: `pg_notify` on the writing transaction. PostgreSQL
 * delivers it to every listening instance at commit and drops it on rollback, so no event
 * ever announces a change that did not happen. Called by publishDisputeEvent and
 * publishTableSettingsChange below: publishing needs nothing but the transaction.
 */
export async function publishInTransaction(em: EntityManager, event: LiveEvent): Promise<void> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('Live events are published inside the transaction that writes the change.');
  }
  const { sql, params } = oneStatement([livePart(event)])!;
  await em.query(prepared(sql), params);
}

/** The NOTIFY of `event` on the live channel, as a part of a statement (statement-parts.ts). */
function livePart(event: LiveEvent): StatementPart {
  return { select: () => NOTIFY_LIVE, params: [LIVE_CHANNEL, encodeLiveEvent(event)] };
}

/**
 * The live step of every dispute event (disputes/dispute-fan-out.ts), a part of its statement:
 * what changed, for subscribers to load and check, the part publishInTransaction sends alone. An
 * event that is not announced (rule 15's creation decided at once) has none; a comment carries
 * its ID and author's role.
 */
export function publishDisputeEvent(f: DisputeEventFacts): StatementPart | null {
  if (!f.announced) return null;
  return livePart({
    kind: 'dispute',
    change: liveChangeOf(f.event),
    disputeId: f.dispute.id,
    buyerId: f.dispute.buyerId,
    eventId: f.id,
    ...(f.comment ? { comment: { id: f.comment.id, authorRole: f.comment.authorRole } } : {}),
  });
}

/**
 * The announcer of table settings (settings/table-settings.service.ts): a save or reset, for
 * `tableSettingsChanged` subscribers of the same user on every instance.
 */
export async function publishTableSettingsChange(
  em: EntityManager,
  change: TableSettingsChange,
): Promise<void> {
  await publishInTransaction(em, { kind: 'settings', userId: change.userId, table: change.table });
}
