import type { DataSource } from 'typeorm';
import { groupLoader, sqlByIdLoader } from '../platform/loaders';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { USER_COLUMNS, userRowMapper } from '../accounts/user.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { CALL_COLUMNS, callRowMapper } from './call.entity';
import { DISPUTE_COLUMNS, disputeRowMapper } from '../disputes/dispute.entity';

const DISPUTES_OF_CALLS = `SELECT ${DISPUTE_COLUMNS.join(', ')} FROM disputes
  WHERE call_id = ANY ($1::uuid[]) ORDER BY created_at DESC, id DESC`;
const disputeOf = disputeRowMapper('');

/**
 * Per-request loaders. They load by id without scoping: only objects already proven
 * visible (a visible call's buyer, a visible dispute's call) are ever looked up through them.
 */
export function createLoaders(ds: DataSource) {
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
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createLoaders> {}
}
