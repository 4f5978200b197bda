import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { mayView } from '../auth/visibility';
import { CALL_COLUMNS, callRowMapper } from '../calls/call.entity';
import { selectedColumns } from '../platform/columns';
import { isUuid } from '../platform/ids';
import { forbidden, notFound } from '../platform/errors';
import { withTransaction } from '../platform/transaction';
import { DISPUTE_COLUMNS, disputeRowMapper, type DisputeEntity } from './dispute.entity';
import { assertCanMove, transition } from './dispute-transitions';

// The dispute is locked like a decision locks it, so a withdrawal and a decision queue up on
// the same row and the second reads a status that is no longer PENDING.
const LOCK_FOR_WITHDRAWAL = `SELECT ${[
  ...selectedColumns('d', DISPUTE_COLUMNS),
  ...selectedColumns('c', CALL_COLUMNS),
  'a.currency AS a_currency',
].join(', ')}
  FROM disputes d
  JOIN calls c ON c.id = d.call_id
  JOIN accounts a ON a.id = d.buyer_id
 WHERE d.id = $1
   FOR UPDATE OF d`;
const disputeOf = disputeRowMapper('d');
const callOf = callRowMapper('c');

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
    const [row] = (await em.query(LOCK_FOR_WITHDRAWAL, [disputeId])) as Record<string, unknown>[];
    const dispute = row && disputeOf(row);
    if (!row || !dispute || !mayView(viewer, 'dispute', dispute.buyerId))
      throw notFound('dispute', disputeId);
    assertCanMove(dispute, 'WITHDRAWN');
    const call = callOf(row);
    const withdrawn = await transition(
      em,
      { dispute, call, currency: row.a_currency as string },
      { to: 'WITHDRAWN' },
      { id: viewer.id, at: ctx.app.now() },
    );
    // Later fields of this request (call.disputability) must see the new status.
    ctx.loaders.disputesOfCall.clear(call.id);
    return withdrawn;
  });
}
