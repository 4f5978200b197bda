import type { EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import { selectedColumns } from '../platform/columns';
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
import type { Role } from '../auth/permissions';
import {
  NOTIFICATION_COLUMNS,
  NotificationEntity,
  notificationRowMapper,
  type NotificationKind,
} from './notification.entity';

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

/**
 * One notification of `kind` per recipient of the dispute's (auth/visibility.ts, rule 8), in one
 * statement. With `afterAccountName`, the message is the buyer account's name followed by it.
 */
async function notifyRecipients(
  em: EntityManager,
  kind: NotificationKind,
  dispute: DisputeEntity,
  message: string,
  afterAccountName = false,
  comment?: { id: string; authorRole: Role },
): Promise<void> {
  const params: unknown[] = [kind, dispute.id, message, comment?.id ?? null];
  const text = afterAccountName ? `(SELECT na.name FROM accounts na WHERE na.id = $5) || $3` : '$3';
  if (afterAccountName) params.push(dispute.buyerId);
  const recipients = recipientsSql(
    kind,
    'u',
    dispute.buyerId,
    positional(params),
    comment?.authorRole,
  );
  await em.query(
    `INSERT INTO notifications (id, user_id, kind, dispute_id, message, comment_id)
     SELECT gen_random_uuid(), u.id, $1, $2, ${text}, $4 FROM users u WHERE ${recipients}`,
    params,
  );
}

/**
 * Part of the transition to PENDING (dispute-transitions.ts), in its transaction: one
 * DISPUTE_CREATED notification per recipient (auth/visibility.ts: every manager holding
 * VIEW_DISPUTES).
 */
export async function notifyDisputeCreated(
  em: EntityManager,
  dispute: DisputeEntity,
  callerId: string,
): Promise<void> {
  const message = ` disputed the call from ${callerId} (${REASON_LABEL[dispute.reason]}).`;
  await notifyRecipients(em, 'DISPUTE_CREATED', dispute, message, true);
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

/**
 * Part of a decision's transition (dispute-transitions.ts), in its transaction: one
 * DISPUTE_RESOLVED notification per recipient (auth/visibility.ts: every user of the buyer
 * account holding DISPUTE_CALLS).
 */
export async function notifyDisputeResolved(
  em: EntityManager,
  dispute: DisputeEntity,
  callerId: string,
  currency: string,
): Promise<void> {
  await notifyRecipients(
    em,
    'DISPUTE_RESOLVED',
    dispute,
    resolvedMessage(dispute, callerId, currency),
  );
}

/**
 * Part of the transition to WITHDRAWN (dispute-transitions.ts), in its transaction: one
 * DISPUTE_WITHDRAWN notification per recipient (every manager holding VIEW_DISPUTES).
 */
export async function notifyDisputeWithdrawn(
  em: EntityManager,
  dispute: DisputeEntity,
  callerId: string,
): Promise<void> {
  const message = ` withdrew its dispute of the call from ${callerId}.`;
  await notifyRecipients(em, 'DISPUTE_WITHDRAWN', dispute, message, true);
}

/**
 * Part of writing a SHARED comment (disputes/dispute-comments.ts), in its transaction: one
 * DISPUTE_COMMENTED notification per user of the other side (auth/visibility.ts). The message
 * names who wrote, not what: the body is read through Dispute.comments.
 */
export async function notifyDisputeCommented(
  em: EntityManager,
  dispute: DisputeEntity,
  callerId: string,
  comment: { id: string; authorRole: Role },
): Promise<void> {
  const byBuyer = comment.authorRole === 'BUYER';
  const message = byBuyer
    ? ` commented on its dispute of the call from ${callerId}.`
    : `A manager commented on your dispute of the call from ${callerId}.`;
  await notifyRecipients(em, 'DISPUTE_COMMENTED', dispute, message, byBuyer, comment);
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

const PAGE_SELECT = `SELECT ${selectedColumns('n', NOTIFICATION_COLUMNS).join(', ')} FROM notifications n`;
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
    select: PAGE_SELECT,
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
