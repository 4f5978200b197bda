import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { NotificationEntity } from './notification.entity';
import { IsNull } from 'typeorm';

export async function countUnreadNotifications(ctx: Context, viewer: Viewer): Promise<number> {
  return ctx.app.ds.getRepository(NotificationEntity).countBy({ userId: viewer.id, readAt: IsNull() });
}
