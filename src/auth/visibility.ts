import type { WhereExpressionBuilder } from 'typeorm';
import { forbidden } from '../platform/errors';
import type { Permission, Role } from '../accounts/permissions';
import type { Viewer } from './viewer';
import { FALSE, TRUE, type Bind } from '../platform/sql-conditions';

/**
 * Who may see what (contract rules 1, 8 and 9), written once. Every rule here has an SQL form,
 * for reads and writes, and an in-memory form, for rows already loaded and for live recipients,
 * and both are read off the tables below; test/integration/visibility-property.test.ts holds
 * them equal on generated users and rows.
 */

/** The row kinds that belong to a buyer account. Evidence is a dispute's, a recording a call's. */
export type Subject = 'call' | 'recording' | 'dispute' | 'evidence';

/** The fields of a user the rules read (a Viewer, or a user about to be notified). */
export type Reader = Pick<Viewer, 'role' | 'accountId' | 'permissions'>;

/**
 * Per role: the buyer accounts it reaches, and the permission each subject needs on top of
 * being signed in. A foreign row then reads exactly like a missing one.
 */
const READERS = {
  BUYER: {
    reaches: 'own account',
    needs: { call: null, recording: null, dispute: 'DISPUTE_CALLS', evidence: 'DISPUTE_CALLS' },
  },
  MANAGER: {
    reaches: 'every account',
    needs: { call: null, recording: null, dispute: 'VIEW_DISPUTES', evidence: 'VIEW_DISPUTES' },
  },
} as const satisfies Record<
  Role,
  { reaches: 'own account' | 'every account'; needs: Record<Subject, Permission | null> }
>;

/**
 * Rules 8, 12 and 13: whom a dispute event's notification addresses (each event names its
 * audience, disputes/dispute-events.ts). The recipients are the users of that role who may see
 * the dispute (READERS): every manager with VIEW_DISPUTES, or the users of the dispute's account
 * with DISPUTE_CALLS. A comment's goes to the other side than its author's, so never to its
 * author.
 */
export type Audience = Role | 'other side';

const OTHER_SIDE = { BUYER: 'MANAGER', MANAGER: 'BUYER' } as const satisfies Record<Role, Role>;

/** The role an audience is; `authorRole` is the comment author's. */
function recipientRole(audience: Audience, authorRole: Role | undefined): Role {
  if (audience !== 'other side') return audience;
  if (!authorRole) throw new Error(`"${audience}" needs the author's role`);
  return OTHER_SIDE[authorRole];
}

// ---------------------------------------------------------------- reach

/** The buyer accounts whose rows a viewer reaches for one subject. */
export type Reach = { kind: 'none' } | { kind: 'account'; accountId: string } | { kind: 'all' };

const NONE: Reach = { kind: 'none' };
const ALL: Reach = { kind: 'all' };

export function reachOf(viewer: Reader, subject: Subject): Reach {
  const reader = READERS[viewer.role];
  const needed = reader.needs[subject];
  if (needed !== null && !viewer.permissions.has(needed)) return NONE;
  if (reader.reaches === 'every account') return ALL;
  return viewer.accountId ? { kind: 'account', accountId: viewer.accountId } : NONE;
}

/**
 * The reach of a list that refuses outright without it (`disputes`, `disputeStats`: rule 8):
 * FORBIDDEN rather than an empty list. The resolvers' guards refuse first; this keeps the rule
 * where the reach is read.
 */
export function requireDisputeReach(viewer: Reader): Exclude<Reach, { kind: 'none' }> {
  const reach = reachOf(viewer, 'dispute');
  if (reach.kind === 'none')
    throw forbidden('This needs the DISPUTE_CALLS or VIEW_DISPUTES permission.');
  return reach;
}

/** A list's `filter.buyerId` narrows a reach over every account; an own-account reach ignores it. */
export function narrowTo(reach: Reach, buyerId: string | null | undefined): Reach {
  return reach.kind === 'all' && buyerId ? { kind: 'account', accountId: buyerId } : reach;
}

/** In memory: whether a row of this buyer account is within the reach. */
export function inReach(reach: Reach, buyerId: string): boolean {
  if (reach.kind === 'none') return false;
  return reach.kind === 'all' || reach.accountId === buyerId;
}

/** Whether the viewer may see a row of this subject belonging to `buyerId`. */
export function mayView(viewer: Reader, subject: Subject, buyerId: string): boolean {
  return inReach(reachOf(viewer, subject), buyerId);
}

// ---------------------------------------------------------------- SQL

function and(...parts: string[]): string {
  if (parts.includes(FALSE)) return FALSE;
  const kept = parts.filter((p) => p !== TRUE);
  return kept.length ? kept.join(' AND ') : TRUE;
}

/** SQL: the row's buyer account (`column`, e.g. `d.buyer_id`) is within the reach. */
export function reachSql(reach: Reach, column: string, bind: Bind): string {
  if (reach.kind === 'none') return FALSE;
  if (reach.kind === 'all') return TRUE;
  return `${column} = ${bind(reach.accountId)}`;
}

/**
 * Adds a condition built by `build` to a TypeORM query (select or update), with named
 * parameters that cannot clash with those the query already holds. A condition that is always
 * true adds nothing.
 */
export function andWhereScoped<Q extends WhereExpressionBuilder & { getParameters(): object }>(
  qb: Q,
  build: (bind: Bind) => string,
): Q {
  const taken = qb.getParameters();
  const params: Record<string, unknown> = {};
  let n = 0;
  const bind: Bind = (value) => {
    let name = `visibility${n++}`;
    while (name in taken) name = `visibility${n++}`;
    params[name] = value;
    return `:${name}`;
  };
  const sql = build(bind);
  if (sql !== TRUE) qb.andWhere(sql, params);
  return qb;
}

// ---------------------------------------------------------------- notifications

/** The parts of a notification the rules read, with the buyer account of its dispute. */
export interface NotificationFacts {
  userId: string;
  disputeBuyerId: string;
}

/**
 * A viewer sees the notifications addressed to it, and only while it may see their dispute
 * (none without the permission; a buyer's only where the dispute is of its current account).
 */
export function mayViewNotification(viewer: Reader & { id: string }, n: NotificationFacts) {
  return isOwn(viewer, n.userId) && mayView(viewer, 'dispute', n.disputeBuyerId);
}

/** SQL twin of mayViewNotification over `alias` (the notifications table). */
export function notificationScopeSql(
  viewer: Reader & { id: string },
  alias: string,
  bind: Bind,
): string {
  const reach = reachOf(viewer, 'dispute');
  if (reach.kind === 'none') return FALSE;
  const ofDispute = reachSql(reach, 'nd.buyer_id', bind);
  return and(
    ownRowsSql(viewer, `${alias}.user_id`, bind),
    ofDispute === TRUE
      ? TRUE // every dispute is within reach, and the foreign key says it exists
      : `EXISTS (SELECT 1 FROM disputes nd WHERE nd.id = ${alias}.dispute_id AND ${ofDispute})`,
  );
}

// ---------------------------------------------------------------- counters

/** pendingDisputesCount counts the PENDING disputes within the viewer's reach (0 without). */
export function countsAsPending(reach: Reach, d: { status: string; buyerId: string }): boolean {
  return d.status === 'PENDING' && inReach(reach, d.buyerId);
}

/** SQL twin of countsAsPending over `alias` (the disputes table). */
export function pendingDisputesSql(reach: Reach, alias: string, bind: Bind): string {
  return and(`${alias}.status = 'PENDING'`, reachSql(reach, `${alias}.buyer_id`, bind));
}

/** unreadNotificationsCount counts the visible notifications not yet read. */
export function countsAsUnread(
  viewer: Reader & { id: string },
  n: NotificationFacts & { readAt: Date | null },
): boolean {
  return n.readAt === null && mayViewNotification(viewer, n);
}

/** SQL twin of countsAsUnread over `alias` (the notifications table). */
export function unreadNotificationsSql(
  viewer: Reader & { id: string },
  alias: string,
  bind: Bind,
): string {
  return and(notificationScopeSql(viewer, alias, bind), `${alias}.read_at IS NULL`);
}

// ---------------------------------------------------------------- rows a user owns

/**
 * Rows a user owns (a notification addressed to it, a user's table settings, its exports):
 * read and written by that user alone, whatever its role and permissions; to anyone else
 * another user's row is exactly like a missing one. A rule of a feature's own may add to it
 * (a notification also needs its dispute in reach), never widen it.
 */
export function isOwn(viewer: { id: string }, ownerId: string): boolean {
  return ownerId === viewer.id;
}

/** SQL twin of isOwn: the row's owner (`column`, e.g. `s.user_id`) is the viewer. */
export function ownRowsSql(viewer: { id: string }, column: string, bind: Bind): string {
  return `${column} = ${bind(viewer.id)}`;
}

// ---------------------------------------------------------------- recipients (rule 8)

/**
 * Whether `user` is a recipient of a notification for `audience` about a dispute of `buyerId`;
 * `authorRole` is the comment author's, for a comment ('other side').
 */
export function isRecipient(
  audience: Audience,
  user: Reader,
  buyerId: string,
  authorRole?: Role,
): boolean {
  return user.role === recipientRole(audience, authorRole) && mayView(user, 'dispute', buyerId);
}

/**
 * SQL twin of isRecipient over `u` (the users table: its stored role, account and
 * permissions). Role and permission are literals from the tables above, never input.
 */
export function recipientsSql(
  audience: Audience,
  u: string,
  buyerId: string,
  bind: Bind,
  authorRole?: Role,
): string {
  const role = recipientRole(audience, authorRole);
  const reader = READERS[role];
  return and(
    `${u}.role = '${role}'`,
    `'${reader.needs.dispute}' = ANY (${u}.permissions)`,
    reader.reaches === 'own account' ? `${u}.account_id = ${bind(buyerId)}` : TRUE,
  );
}

// ---------------------------------------------------------------- comments (rule 13)

/** The fields of a comment the rule reads. */
export interface CommentFacts {
  visibility: 'SHARED' | 'INTERNAL';
  /** The buyer account of the comment's dispute. */
  disputeBuyerId: string;
}

/**
 * Who may read a comment: whoever may see its dispute, for SHARED; only managers among them
 * for INTERNAL, which no buyer ever receives, in any field, list, notification or event.
 */
export function mayReadComment(viewer: Reader, c: CommentFacts): boolean {
  if (!mayView(viewer, 'dispute', c.disputeBuyerId)) return false;
  return c.visibility === 'SHARED' || viewer.role === 'MANAGER';
}

/**
 * Who may write one: a buyer user with DISPUTE_CALLS of the dispute's account writes SHARED;
 * a manager with EDIT_DISPUTES writes either. Visibility (NOT_FOUND) is checked apart, after
 * this, as the contract orders checks.
 */
export function mayWriteComment(viewer: Reader, visibility: CommentFacts['visibility']): boolean {
  if (viewer.role === 'MANAGER') return viewer.permissions.has('EDIT_DISPUTES');
  return visibility === 'SHARED' && viewer.permissions.has('DISPUTE_CALLS');
}

// ---------------------------------------------------------------- live audiences (rule 9)

/**
 * Live subscribers are filed by audience: a buyer account's users, or the managers. An event
 * about a dispute reaches the audiences that could see it; each subscriber is then re-checked.
 */
export type AudienceKey = 'managers' | `account:${string}`;

const MANAGERS: AudienceKey = 'managers';
const accountAudience = (accountId: string): AudienceKey => `account:${accountId}`;

/** The audience a user belongs to by role and account, whatever its permissions now. */
export function audienceOf(viewer: Reader): AudienceKey {
  return READERS[viewer.role].reaches === 'every account'
    ? MANAGERS
    : accountAudience(viewer.accountId ?? '');
}

/** What an audience's members see when they hold the permission. */
export function audienceReach(key: AudienceKey): Reach {
  return key === MANAGERS ? ALL : { kind: 'account', accountId: key.slice('account:'.length) };
}

/** The audiences an event about a dispute of `buyerId` can reach. */
export function audiencesOfDispute(buyerId: string): AudienceKey[] {
  return [accountAudience(buyerId), MANAGERS];
}

/**
 * A subscriber may receive its audience's dispute events (and a non-zero count) only while it
 * belongs to that audience and may see the audience's disputes.
 */
export function mayReceive(viewer: Reader, key: AudienceKey): boolean {
  return audienceOf(viewer) === key && reachOf(viewer, 'dispute').kind !== 'none';
}

// ---------------------------------------------------------------- webhook endpoints (rule 17)

/**
 * Whose webhook endpoints a viewer manages: a buyer user with DISPUTE_CALLS its account's, a
 * manager with EDIT_DISPUTES the platform's (which receive every account's events). Anyone
 * else manages none, and another owner's endpoint reads exactly like a missing one. Endpoints
 * are only ever read in SQL, so these rules have no in-memory twin.
 */
export type WebhookOwner = { kind: 'account'; accountId: string } | { kind: 'platform' };

const WEBHOOK_MANAGERS = {
  BUYER: { needs: 'DISPUTE_CALLS', manages: 'own account' },
  MANAGER: { needs: 'EDIT_DISPUTES', manages: 'platform' },
} as const satisfies Record<Role, { needs: Permission; manages: 'own account' | 'platform' }>;

export function webhookOwnerOf(viewer: Reader): WebhookOwner | null {
  const rule = WEBHOOK_MANAGERS[viewer.role];
  if (!viewer.permissions.has(rule.needs)) return null;
  if (rule.manages === 'platform') return { kind: 'platform' };
  return viewer.accountId ? { kind: 'account', accountId: viewer.accountId } : null;
}

/** SQL over `alias` (the webhook_endpoints table): the endpoints `owner` manages. */
export function managedEndpointsSql(owner: WebhookOwner, alias: string, bind: Bind): string {
  return owner.kind === 'platform'
    ? `${alias}.account_id IS NULL`
    : `${alias}.account_id = ${bind(owner.accountId)}`;
}

/**
 * The endpoints an event about a dispute of `buyerId` goes to, over `alias` (the
 * webhook_endpoints table): that account's own endpoints and the platform's. An account's
 * endpoint never receives another account's events.
 */
export function endpointsReceivingSql(alias: string, buyerId: string, bind: Bind): string {
  return `(${alias}.account_id IS NULL OR ${alias}.account_id = ${bind(buyerId)})`;
}
