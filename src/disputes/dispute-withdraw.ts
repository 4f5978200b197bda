import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { isUuid } from '../platform/ids';
import { forbidden, notFound } from '../platform/errors';
import { withTransaction } from '../platform/transaction';
import type { DisputeEntity } from './dispute.entity';
import { lockVisibleDispute } from './dispute-lock';
import { assertCanMove, transition } from './dispute-transitions';

/**
 * Rule 12: a buyer user (DISPUTE_CALLS, by the resolver's guard) takes back a PENDING dispute of
 * its own account. Managers are FORBIDDEN, another account's dispute is NOT_FOUND, a dispute no
 * longer PENDING is DISPUTE_ALREADY_RESOLVED. The transition writes the status, the WITHDRAWN
 * event, the managers' notifications and the live event; the payout does not change.
 */
export async function withdrawDispute(
  ctx: Context,
  viewer: Viewer,
  disputeId: string,
): Promise<DisputeEntity> {
  if (viewer.role !== 'BUYER') throw forbidden('Only buyer users withdraw disputes.');
  if (!isUuid(disputeId)) throw notFound('dispute', disputeId);
  return withTransaction(ctx.app.ds, async (em) => {
    // The dispute is locked like a decision locks it, so a withdrawal and a decision queue up
    // on the same row and the second reads a status that is no longer PENDING.
    const { dispute, call, currency } = await lockVisibleDispute(em, viewer, disputeId, {
      lockCall: false,
    });
    assertCanMove(dispute, 'WITHDRAWN');
    const withdrawn = await transition(
      em,
      { dispute, call, currency },
      { to: 'WITHDRAWN' },
      { id: viewer.id, at: ctx.app.now() },
    );
    // Later fields of this request (call.disputability) must see the new status.
    ctx.loaders.disputesOfCall.clear(call.id);
    return withdrawn;
  });
}
