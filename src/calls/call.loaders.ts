import { In, type DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../platform/loaders';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../accounts/user.entity';
import { CampaignEntity } from './campaign.entity';
import { CallEntity } from './call.entity';
import { DisputeEntity } from '../disputes/dispute.entity';

/**
 * Per-request loaders. They load by id without scoping: only objects already proven
 * visible (a visible call's buyer, a visible dispute's call) are ever looked up through them.
 */
export function createLoaders(ds: DataSource) {
  return {
    account: byIdLoader(ds, AccountEntity),
    campaign: byIdLoader(ds, CampaignEntity),
    user: byIdLoader(ds, UserEntity),
    call: byIdLoader(ds, CallEntity),
    /** Every dispute of a call, newest first. */
    disputesOfCall: groupLoader(
      (callIds) =>
        ds.getRepository(DisputeEntity).find({
          where: { callId: In(callIds) },
          order: { createdAt: 'DESC', id: 'DESC' },
        }),
      (d) => d.callId,
    ),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createLoaders> {}
}
