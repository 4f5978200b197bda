import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { DisputeEntity } from './dispute.entity';
import { canListDisputes } from './dispute.scope';
import { scopeToViewer } from '../calls/call.scope';

/** Buyer: its account's PENDING disputes. Manager: all PENDING. 0 without the permission. */
export async function countPendingDisputes(ctx: Context, viewer: Viewer): Promise<number> {
  if (!canListDisputes(viewer)) return 0;
  const qb = ctx.app.ds
    .getRepository(DisputeEntity)
    .createQueryBuilder('d')
    .where(`d.status = 'PENDING'`);
  return scopeToViewer(qb, viewer, 'd.buyer_id').getCount();
}
