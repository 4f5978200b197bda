import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { userRowMapper, type UserEntity } from '../accounts/user.entity';
import { AUTOMATIC_REVIEW_USER_ID } from '../accounts/system-user';
import { DomainError, ErrorCode } from '../platform/errors';
import { isUuid } from '../platform/ids';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../accounts/permissions';
import { bearerToken, verifyToken } from './tokens';
import { VIEWER, VIEWERS } from './auth.queries';

/** Who is asking, read from the database on every request (never from the token). */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
  /** The buyer account of a BUYER; null for a MANAGER. */
  accountId: string | null;
  /** Effective permissions: those the role can hold, EDIT_DISPUTES only with VIEW_DISPUTES. */
  permissions: ReadonlySet<Permission>;
}

export function effectivePermissions(role: Role, stored: readonly string[]): Set<Permission> {
  const held = new Set(
    stored.filter((p): p is Permission =>
      (ROLE_PERMISSIONS[role] as readonly string[]).includes(p),
    ),
  );
  if (held.has('EDIT_DISPUTES') && !held.has('VIEW_DISPUTES')) held.delete('EDIT_DISPUTES');
  return held;
}

export function toViewer(user: UserEntity): Viewer {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    accountId: user.role === 'BUYER' ? user.accountId : null,
    permissions: effectivePermissions(user.role, user.permissions),
  };
}

const userOf = userRowMapper('');

/** Who may be a viewer at all: a user ID, and not the system user, which decides by rule only (rule 15). */
const mayBeViewer = (userId: string): boolean =>
  isUuid(userId) && userId.toLowerCase() !== AUTOMATIC_REVIEW_USER_ID;

export async function loadViewer(ds: DataSource, userId: string): Promise<Viewer | null> {
  if (!mayBeViewer(userId)) return null;
  // Plain SQL: it runs on every request.
  const [row] = (await ds.query(VIEWER, [userId])) as Record<string, unknown>[];
  return row ? toViewer(userOf(row)) : null;
}

const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);

/**
 * The viewer behind an `Authorization` value. No header at all → null (only introspection
 * and the playground work then); a header that does not hold a valid token of an existing
 * user → UNAUTHENTICATED.
 */
export async function authenticate(
  ds: DataSource,
  secret: string,
  authorization: unknown,
): Promise<Viewer | null> {
  return (await authenticateSession(ds, secret, authorization))?.viewer ?? null;
}

/**
 * Like `authenticate`, with the moment the token expires: a long-lived connection (a
 * WebSocket) must end then, since it is not re-authenticated per message.
 */
export async function authenticateSession(
  ds: DataSource,
  secret: string,
  authorization: unknown,
): Promise<{ viewer: Viewer; expiresAt: Date } | null> {
  if (authorization === undefined || authorization === null || authorization === '') return null;
  const token = bearerToken(authorization);
  if (!token) throw unauthenticated('Authorization must be "Bearer <token>".');
  const check = await verifyToken(secret, token);
  if (!check.ok) throw unauthenticated(check.reason);
  const viewer = await loadViewer(ds, check.userId);
  if (!viewer) throw unauthenticated('The token names no existing user.');
  return { viewer, expiresAt: check.expiresAt };
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) {
    throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
  }
  return viewer;
}

declare module '../platform/context' {
  interface Context {
    /** Who is asking: null when the request carries no valid token. */
    viewer: Viewer | null;
  }
}

/**
 * Many users as they are now, in one statement with the ids as one array parameter (a parameter
 * per id stops at 65,535): the live hub's re-check of an event's recipients, and batched reads.
 */
export async function loadViewers(
  ds: DataSource,
  userIds: readonly string[],
): Promise<Map<string, Viewer>> {
  if (!userIds.length) return new Map();
  const rows = (await ds.query(VIEWERS, [userIds])) as Record<string, unknown>[];
  return new Map(rows.map((row) => toViewer(userOf(row))).map((v) => [v.id, v]));
}

export function viewerBatcher(ds: DataSource): (userId: string) => Promise<Viewer | null> {
  const loader = new DataLoader<string, Viewer | null>(
    async (ids) => {
      const byId = await loadViewers(ds, ids);
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false, batchScheduleFn: (run) => setImmediate(run), maxBatchSize: 1_000 },
  );
  return (userId) => (mayBeViewer(userId) ? loader.load(userId) : Promise.resolve(null));
}
