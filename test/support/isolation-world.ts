import { randomUUID } from 'node:crypto';
import type { Client } from './client';
import {
  count,
  createWorld,
  db,
  insertCall,
  insertCampaign,
  insertDispute,
  type World,
} from './seed';

/** The viewers the contract tells apart, as the isolation matrix walks them. */
export const ROLES = [
  'anonymous',
  'buyerA',
  'buyerANoPerm',
  'buyerB',
  'viewManager',
  'editManager',
  'plainManager',
] as const;
export type Role = (typeof ROLES)[number];

/** Whose object an ID names, seen from the viewer. Managers have no account: A is "own". */
export const ID_KINDS = ['own', 'foreign', 'random'] as const;
export type IdKind = (typeof ID_KINDS)[number];

export type Side = 'A' | 'B';

export const ANY_USER: readonly Role[] = ROLES.filter((r) => r !== 'anonymous');
/** DISPUTE_CALLS buyers and VIEW_DISPUTES managers: who may read disputes (rule 8). */
export const DISPUTE_READERS: readonly Role[] = ['buyerA', 'buyerB', 'viewManager', 'editManager'];
/** Buyers with DISPUTE_CALLS: who may create disputes and evidence (rule 3, 6). */
export const DISPUTERS: readonly Role[] = ['buyerA', 'buyerB'];
/** Managers with EDIT_DISPUTES: who may decide (rule 7). */
export const EDITORS: readonly Role[] = ['editManager'];

export const isManager = (role: Role) => role.endsWith('Manager');
export const isBuyer = (role: Role) => role.startsWith('buyer');
export const sideOf = (role: Role): Side => (role === 'buyerB' ? 'B' : 'A');
export const otherSide = (side: Side): Side => (side === 'A' ? 'B' : 'A');
/** The side an ID of this kind belongs to, for this viewer (random IDs belong to no one). */
export const sideFor = (role: Role, kind: IdKind): Side =>
  kind === 'foreign' ? otherSide(sideOf(role)) : sideOf(role);

/** Authentication, then permission: the first answer a viewer gets before visibility counts. */
export function gate(role: Role, allowed: readonly Role[]): 'UNAUTHENTICATED' | 'FORBIDDEN' | null {
  if (role === 'anonymous') return 'UNAUTHENTICATED';
  return allowed.includes(role) ? null : 'FORBIDDEN';
}

/**
 * A world of its own for the matrix: two accounts, a user per role, one campaign per account
 * (so a campaign filter can name "another account's" calls), and a call and a dispute on
 * each side that read-only cells look up.
 */
export async function createIsolationWorld() {
  const world: World = await createWorld();
  const { ids } = world;
  const campaign = { A: await insertCampaign(), B: await insertCampaign() };
  const account = { A: ids.accountA, B: ids.accountB };
  const buyer = { A: ids.buyerA, B: ids.buyerB };
  const call = {
    A: await insertCall({ buyerId: account.A, campaignId: campaign.A }),
    B: await insertCall({ buyerId: account.B, campaignId: campaign.B }),
  };
  const dispute = {
    A: await insertDispute({ callId: call.A, createdBy: buyer.A }),
    B: await insertDispute({ callId: call.B, createdBy: buyer.B }),
  };
  // Calls made for mutation cells go to their own campaign, out of the read cells' way.
  const scratchCampaign = await insertCampaign();

  const userOf = (role: Role): string | null => (role === 'anonymous' ? null : ids[role]);
  const clientOf = (role: Role): Client => world.as[role];

  /** A user whose per-user objects (notifications, evidence) are "foreign" to the viewer. */
  const foreignUserOf = (role: Role): string => {
    switch (role) {
      case 'buyerB':
        return ids.buyerA;
      case 'viewManager':
      case 'plainManager':
        return ids.editManager;
      case 'editManager':
        return ids.viewManager;
      default:
        return ids.buyerB;
    }
  };
  /** The user whose object an ID of this kind names; anonymous "owns" buyer A's. */
  const ownerFor = (role: Role, kind: IdKind): string =>
    kind === 'foreign' ? foreignUserOf(role) : (userOf(role) ?? ids.buyerA);

  const freshCall = (side: Side) =>
    insertCall({ buyerId: account[side], campaignId: scratchCampaign });

  const freshDispute = async (side: Side) =>
    insertDispute({ callId: await freshCall(side), createdBy: buyer[side] });

  /**
   * A dispute the editing manager accepted partially just now (25.00 to 20.00), with the
   * RESOLVED history event a decision writes: what reopenDispute takes back.
   */
  const freshDecision = async (side: Side) => {
    const callId = await freshCall(side);
    const disputeId = await insertDispute({
      callId,
      createdBy: buyer[side],
      status: 'ACCEPTED_PARTIAL',
      decidedBy: ids.editManager,
      adjustmentMinor: 500,
    });
    await db().query('UPDATE calls SET payout_minor = 2000 WHERE id = $1', [callId]);
    await db().query(
      `INSERT INTO dispute_events (id, dispute_id, type, actor_id, status_before, status_after,
         payout_before_minor, payout_after_minor, currency)
       VALUES ($1, $2, 'RESOLVED', $3, 'PENDING', 'ACCEPTED_PARTIAL', 2500, 2000, 'USD')`,
      [randomUUID(), disputeId, ids.editManager],
    );
    return disputeId;
  };

  /** An unread notification addressed to `userId`, about a dispute that user may see. */
  const freshNotification = async (userId: string) => {
    const side: Side = userId === ids.buyerB ? 'B' : 'A';
    const id = randomUUID();
    await db().query(
      `INSERT INTO notifications (id, user_id, kind, dispute_id, message) VALUES ($1, $2, $3, $4, $5)`,
      [id, userId, 'DISPUTE_CREATED', dispute[side], 'A dispute to look at'],
    );
    return id;
  };

  return {
    ...world,
    campaign,
    account,
    buyer,
    call,
    dispute,
    userOf,
    clientOf,
    foreignUserOf,
    ownerFor,
    freshCall,
    freshDispute,
    freshDecision,
    freshNotification,
  };
}

export type IsolationWorld = Awaited<ReturnType<typeof createIsolationWorld>>;

/** Everything a user can have written: a failed mutation must leave all of it as it was. */
export async function writesBy(userId: string | null) {
  if (!userId) return null;
  return {
    disputes: await count('disputes', 'created_by = $1', [userId]),
    decisions: await count('disputes', 'decided_by = $1', [userId]),
    events: await count('dispute_events', 'actor_id = $1', [userId]),
    evidence: await count('evidence', 'owner_id = $1', [userId]),
    keys: await count('idempotency_keys', 'user_id = $1', [userId]),
    read: await count('notifications', 'user_id = $1 AND read_at IS NOT NULL', [userId]),
    webhookEndpoints: await count('webhook_endpoints', 'created_by = $1', [userId]),
    tableSettings: (
      await db().query(
        'SELECT table_name, version FROM table_settings WHERE user_id = $1 ORDER BY table_name',
        [userId],
      )
    ).rows,
    exports: await count('exports', 'user_id = $1', [userId]),
  };
}
