import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../accounts/user.entity';
import { CampaignEntity } from './campaign.entity';
import { CallEntity } from './call.entity';
import { DisputeEntity } from '../disputes/dispute.entity';

/** Rows by id, in key order, null for a missing one. */
export function byIdLoader<T extends { id: string }>(
  ds: DataSource,
  entity: new () => T,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await ds.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Lists of rows grouped by a foreign key, in key order. */
export function groupLoader<T>(
  load: (keys: string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await load([...keys]);
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

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

export type CoreLoaders = ReturnType<typeof createLoaders>;
