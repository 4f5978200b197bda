import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { groupLoader, sqlByIdLoader } from '../platform/loaders';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { USER_COLUMNS, userRowMapper } from '../accounts/user.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { CALL_COLUMNS, callRowMapper, type CallEntity } from './call.entity';
import { duplicatesOf } from './call-duplicates';
import { DISPUTE_COLUMNS, disputeRowMapper } from '../disputes/dispute.entity';

/** What Call.disputes answers at most; the cost check counts this many. */
export const MAX_DISPUTES_PER_CALL = 50;

/**
 * Per call, the newest MAX_DISPUTES_PER_CALL disputes and those that decide its disputability
 * (pending, accepted), newest first, read by the database function `disputes_of_call` with a
 * bound per call (migration DisputesStandingIndex): a buyer who disputes and withdraws a call
 * again and again grows its disputes without limit, not what one read of them costs.
 */
export const DISPUTES_OF_CALLS = `SELECT ${DISPUTE_COLUMNS.map((c) => `d.${c}`).join(', ')}
  FROM unnest($1::uuid[]) AS k(call_id), disputes_of_call(k.call_id, ${MAX_DISPUTES_PER_CALL}) d
  ORDER BY d.created_at DESC, d.id DESC`;
const disputeOf = disputeRowMapper('');

/** What the per-request loaders read from the configuration. */
export interface LoaderSettings {
  duplicateWindowHours: number;
}

/**
 * Per-request loaders. They load by id without scoping: only objects already proven
 * visible (a visible call's buyer, a visible dispute's call) are ever looked up through them.
 */
export function createLoaders(ds: DataSource, settings: LoaderSettings) {
  return {
    account: sqlByIdLoader(ds, 'accounts', ACCOUNT_COLUMNS, accountRowMapper('')),
    campaign: sqlByIdLoader(ds, 'campaigns', CAMPAIGN_COLUMNS, campaignRowMapper('')),
    user: sqlByIdLoader(ds, 'users', USER_COLUMNS, userRowMapper('')),
    call: sqlByIdLoader(ds, 'calls', CALL_COLUMNS, callRowMapper('')),
    /** A call's newest disputes and its standing ones, newest first (DISPUTES_OF_CALLS). */
    disputesOfCall: groupLoader(
      async (callIds) =>
        ((await ds.query(DISPUTES_OF_CALLS, [callIds])) as Record<string, unknown>[]).map(
          disputeOf,
        ),
      (d) => d.callId,
    ),
    /** Call.duplicateOf by the later call's ID: the earlier call, or null. */
    duplicateOf: new DataLoader<string, CallEntity | null>(async (callIds) => {
      const found = await duplicatesOf(ds, [...callIds], settings.duplicateWindowHours);
      return callIds.map((id) => found.get(id) ?? null);
    }),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createLoaders> {}
}
