import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { groupLoader, sqlByIdLoader } from '../platform/loaders';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { USER_COLUMNS, userRowMapper } from '../accounts/user.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { CALL_COLUMNS, callRowMapper, type CallEntity } from './call.entity';
import { duplicatesOf } from './call-duplicates';
import { DISPUTE_COLUMNS, disputeRowMapper } from '../disputes/dispute.entity';

const DISPUTES_OF_CALLS = `SELECT ${DISPUTE_COLUMNS.join(', ')} FROM disputes
  WHERE call_id = ANY ($1::uuid[]) ORDER BY created_at DESC, id DESC`;
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
    /** Every dispute of a call, newest first. */
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
