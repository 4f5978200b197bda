import type { DataSource } from 'typeorm';
import { byIdLoader } from '../platform/loaders';
import { DisputeEntity } from '../disputes/dispute.entity';

export function createNotificationLoaders(ds: DataSource) {
  return {
    /** Disputes by id, unscoped: only reached through a notification, whose dispute its addressee may always see. */
    dispute: byIdLoader(ds, DisputeEntity),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createNotificationLoaders> {}
}
