import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { sqlByIdLoader } from '../platform/loaders';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { CALL_COLUMNS, callRowMapper, type CallEntity } from './call.entity';
import { duplicatesOf } from './call-duplicates';

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
    campaign: sqlByIdLoader(ds, 'campaigns', CAMPAIGN_COLUMNS, campaignRowMapper('')),
    call: sqlByIdLoader(ds, 'calls', CALL_COLUMNS, callRowMapper('')),
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
