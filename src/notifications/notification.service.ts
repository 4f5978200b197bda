import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import { formatMinor } from '../platform/money';
import { isUuid } from '../platform/ids';
import {
  andWhereScoped,
  notificationScopeSql,
  recipientsSql,
  unreadNotificationsSql,
} from '../auth/visibility';
import { Conditions, countRows, positional } from '../platform/sql-conditions';
import type { DisputeEntity, DisputeReason } from '../disputes/dispute.entity';
import {
  DISPUTE_EVENT_SPECS,
  notificationKindOf,
  type DisputeEventName,
} from '../disputes/dispute-events';
import type { DisputeEventFacts } from '../disputes/dispute-fan-out';
import type { StatementPart } from '../platform/statement-parts';
import { NotificationEntity, notificationRowMapper } from './notification.entity';
import {
  ACCOUNT_NAME_THEN_MESSAGE,
  insertNotificationsSql,
  SELECT_NOTIFICATIONS,
} from './notification.queries';

export const MAX_MARK_IDS = 500;

const REASON_LABEL: Record<DisputeReason, string> = {
  CALLER_HUNG_UP_IMMEDIATELY: 'Caller hung up immediately',
  CALL_NOT_CONNECTED: 'Call not connected',
  INVALID_CALLER: 'Invalid caller',
  DUPLICATE_CALL: 'Duplicate call',
  DID_NOT_MEET_QUALIFICATION: 'Did not meet qualification',
  TECHNICAL_ISSUES: 'Technical issues',
  OTHER: 'Other',
};

/** An event's notification text, and whether the buyer account's name comes first. */
interface Wording {
  message: string;
  afterAccountName: boolean;
}

function resolvedMessage(dispute: DisputeEntity, callerId: string, currency: string): string {
  const what = `Your dispute of the call from ${callerId}`;
  const amount = `${formatMinor(dispute.adjustmentMinor ?? 0)} ${currency}`;
  switch (dispute.status) {
    case 'ACCEPTED':
      return `${what} was accepted: payout reduced by ${amount}.`;
    case 'ACCEPTED_PARTIAL':
      return `${what} was partially accepted: payout reduced by ${amount}.`;
    case 'REJECTED':
      return `${what} was rejected: payout unchanged.`;
    default:
      throw new Error(`dispute ${dispute.id} is not decided (${dispute.status})`);
  }
}

function reopenedMessage(f: DisputeEventFacts): string {
  const what = `A manager reopened your dispute of the call from ${f.callerId}: it is pending again`;
  const before = f.move?.payoutBeforeMinor ?? 0;
  const after = f.move?.payoutAfterMinor ?? before;
  return after === before
    ? `${what}, payout unchanged.`
    : `${what}, payout back to ${formatMinor(after)} ${f.currency}.`;
}

/**
 * What each event's notification says (its recipients are the event's, dispute-events.ts). A
 * comment's names who wrote, not what: the body is read through Dispute.comments.
 */
const WORDING: Record<DisputeEventName, (f: DisputeEventFacts) => Wording> = {
  CREATED: (f) => ({
    message: ` disputed the call from ${f.callerId} (${REASON_LABEL[f.dispute.reason]}).`,
    afterAccountName: true,
  }),
  RESOLVED: (f) => ({
    message: resolvedMessage(f.dispute, f.callerId, f.currency),
    afterAccountName: false,
  }),
  WITHDRAWN: (f) => ({
    message: ` withdrew its dispute of the call from ${f.callerId}.`,
    afterAccountName: true,
  }),
  COMMENTED: (f) =>
    f.comment?.authorRole === 'BUYER'
      ? {
          message: ` commented on its dispute of the call from ${f.callerId}.`,
          afterAccountName: true,
        }
      : {
          message: `A manager commented on your dispute of the call from ${f.callerId}.`,
          afterAccountName: false,
        },
  REOPENED: (f) => ({ message: reopenedMessage(f), afterAccountName: false }),
};

/**
 * The notifications step of every dispute event (dispute-fan-out.ts), a part of its statement:
 * one notification per recipient of the event (auth/visibility.ts, rules 8, 12, 13). An event
 * that is not announced (rule 15's creation decided at once) has none.
 */
export function notifyDisputeEvent(f: DisputeEventFacts): StatementPart | null {
  if (!f.announced) return null;
  const { message, afterAccountName } = WORDING[f.event](f);
  const comment = f.comment ? { id: f.comment.id, authorRole: f.comment.authorRole } : undefined;
  const params: unknown[] = [
    notificationKindOf(f.event),
    f.dispute.id,
    message,
    comment?.id ?? null,
    f.id,
  ];
  const text = afterAccountName ? ACCOUNT_NAME_THEN_MESSAGE : '$3';
  if (afterAccountName) params.push(f.dispute.buyerId);
  const recipients = recipientsSql(
    DISPUTE_EVENT_SPECS[f.event].recipients,
    'u',
    f.dispute.buyerId,
    positional(params),
    comment?.authorRole,
  );
  return { write: insertNotificationsSql(text, recipients), params };
}

// ---------------------------------------------------------------- reading

/** The viewer's notifications (auth/visibility.ts), or its unread ones, over `notifications n`. */
function scoped(viewer: Viewer, unreadOnly: boolean): Conditions {
  const where = new Conditions();
  return where.and(
    unreadOnly
      ? unreadNotificationsSql(viewer, 'n', where.bind)
      : notificationScopeSql(viewer, 'n', where.bind),
  );
}

export async function countUnreadNotifications(ctx: Context, viewer: Viewer): Promise<number> {
  return countRows(ctx.app.ds, 'notifications n', scoped(viewer, true));
}

const notificationOf = notificationRowMapper('n');
const NEWEST_FIRST = newestFirst<NotificationEntity>('n', 'created_at', (n) => n.createdAt);

/** Newest first, keyset-paginated. */
export async function listNotifications(
  ctx: Context,
  viewer: Viewer,
  args: { unreadOnly?: boolean | null; first: number; after?: string | null },
): Promise<Page<NotificationEntity>> {
  const first = checkFirst(args.first);
  const unreadOnly = args.unreadOnly ?? false;
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: SELECT_NOTIFICATIONS,
    conditions: scoped(viewer, unreadOnly),
    tag: 'notifications',
    keys: NEWEST_FIRST,
    first,
    after: args.after,
    count: () => countRows(ctx.app.ds, 'notifications n', scoped(viewer, unreadOnly)),
    fromRaw: notificationOf,
  });
}

/**
 * Marks the viewer's own unread notifications read: the given ones, or all of them. IDs that
 * are not the viewer's (or not IDs at all) are ignored and not counted. Returns how many changed.
 */
export async function markNotificationsRead(
  ctx: Context,
  viewer: Viewer,
  args: { ids?: readonly string[] | null; all?: boolean | null },
): Promise<number> {
  const all = args.all ?? false;
  if (!all && (args.ids === undefined || args.ids === null)) {
    throw badInput('ids', 'name the notifications to mark read, or pass all: true.');
  }
  if (!all && args.ids!.length > MAX_MARK_IDS) {
    throw badInput(
      'ids',
      `names ${args.ids!.length} notifications; at most ${MAX_MARK_IDS} are allowed at once.`,
    );
  }
  const ids = all ? null : [...new Set(args.ids!.filter(isUuid))];
  if (ids && ids.length === 0) return 0;
  const qb = andWhereScoped(
    ctx.app.ds
      .getRepository(NotificationEntity)
      .createQueryBuilder()
      .update()
      .set({ readAt: ctx.app.now() }),
    (bind) => unreadNotificationsSql(viewer, 'notifications', bind),
  );
  if (ids) qb.andWhere('notifications.id IN (:...ids)', { ids });
  const result = await qb.execute();
  return result.affected ?? 0;
}
