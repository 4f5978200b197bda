import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { whenAllReady, type Now } from '../platform/loaders';
import type { CallEntity } from '../calls/call.entity';
import { extendCallLog } from '../calls/call.service';
import type { DisputeStatus } from './dispute.entity';
import {
  STANDING_STATUSES_SQL,
  disputabilityFacts,
  disputabilitySql,
  disputabilitySqlFacts,
  evaluateDisputability,
  type Disputability,
} from './dispute-rules';

/**
 * Call.disputability where calls are listed: the rules of dispute-rules.ts, for one call
 * through the request's loaders, and for the Call Log in SQL (its `disputable` filter, and the
 * statuses of each call's standing disputes read with the page), added to the Call Log through
 * the extension calls/ offers (calls/ sits below disputes/).
 */

/** The statuses of a listed call's standing disputes, read with its page. */
const standingStatuses = new WeakMap<CallEntity, DisputeStatus[]>();

/**
 * Everything evaluateDisputability needs, through the request's loaders: at once for a page's
 * calls, whose account, campaign and dispute statuses came with the page.
 */
export function disputabilityOf(
  ctx: Context,
  viewer: Viewer,
  call: CallEntity,
): Now<Disputability> {
  const statuses = standingStatuses.get(call);
  return whenAllReady(
    [
      ctx.loaders.account.row(call.buyerId),
      ctx.loaders.campaign.row(call.campaignId),
      statuses ? statuses.map((status) => ({ status })) : ctx.loaders.disputesOfCall.load(call.id),
    ] as const,
    (account, campaign, disputes) => {
      if (!account || !campaign) throw new Error(`call ${call.id} lost its account or campaign`);
      return evaluateDisputability(
        disputabilityFacts({ viewer, call, campaign, account, disputes, now: ctx.app.now() }),
      );
    },
  );
}

let registered = false;

/** Adds disputability to the Call Log; the composition root calls it at start (once counts). */
export function registerDisputabilityInCallLog(): void {
  if (registered) return;
  registered = true;
  extendCallLog({
    columns: [
      [
        'c.dispute_statuses',
        `ARRAY(SELECT ds.status FROM disputes ds WHERE ds.call_id = c.id AND ds.status IN (${STANDING_STATUSES_SQL})) AS c_dispute_statuses`,
      ],
    ],
    // Read with the page, the statuses spare disputability a statement per page.
    extra: { 'Call.disputability': ['c.dispute_statuses'] },
    filters: ['disputable'],
    condition(ctx, viewer, filter, call, bind) {
      if (filter.disputable === undefined || filter.disputable === null) return null;
      // The rules' own SQL (dispute-rules.ts), so the filter and Call.disputability agree.
      const { allowed } = disputabilitySql(
        disputabilitySqlFacts(call, viewer, ctx.app.now(), bind),
      );
      return filter.disputable ? allowed : `NOT (${allowed})`;
    },
    read(raw, call) {
      if (raw.c_dispute_statuses !== undefined) {
        standingStatuses.set(call, raw.c_dispute_statuses as DisputeStatus[]);
      }
    },
  });
}
