import { Brackets, type SelectQueryBuilder } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CallEntity } from './call.entity';
import { canSeeAccount, scopeToViewer } from './call.scope';
import { isUuid } from '../platform/ids';
import type { CallFilter } from './call.types';
import { checkFirst, type Page } from '../platform/pagination';
import { dateKey, keysetPage, uuidKey } from '../platform/keyset';
import { badInput } from '../platform/errors';
import {
  ADJUSTING_STATUSES,
  DISPUTABLE_STATUSES,
  evaluateDisputability,
  windowHoursOf,
  type Disputability,
} from '../disputes/dispute-rules';

/** SQL twin of evaluateDisputability, for the `disputable` filter; tests hold them equal. */
function disputableSql(viewer: Viewer): string {
  if (!viewer.permissions.has('DISPUTE_CALLS')) return 'FALSE';
  const statuses = DISPUTABLE_STATUSES.map((s) => `'${s}'`).join(', ');
  const blocking = ['PENDING', ...ADJUSTING_STATUSES].map((s) => `'${s}'`).join(', ');
  return `(c.status IN (${statuses})
    AND c.started_at + make_interval(hours => COALESCE(
      (SELECT cp.dispute_window_hours FROM campaigns cp WHERE cp.id = c.campaign_id),
      (SELECT a.dispute_window_hours FROM accounts a WHERE a.id = c.buyer_id))) > :now
    AND NOT EXISTS (SELECT 1 FROM disputes dd WHERE dd.call_id = c.id AND dd.status IN (${blocking})))`;
}

function filtered(ctx: Context, viewer: Viewer, filter: CallFilter | undefined) {
  const qb = ctx.app.ds.getRepository(CallEntity).createQueryBuilder('c');
  scopeToViewer(qb, viewer, 'c.buyer_id', filter?.buyerId);
  if (filter?.buyerId && !isUuid(filter.buyerId))
    throw badInput('filter.buyerId', 'is not a valid ID.');
  if (filter?.campaignId && !isUuid(filter.campaignId)) {
    throw badInput('filter.campaignId', 'is not a valid ID.');
  }
  if (filter?.status?.length)
    qb.andWhere('c.status IN (:...statuses)', { statuses: filter.status });
  if (filter?.startedFrom) qb.andWhere('c.started_at >= :from', { from: filter.startedFrom });
  if (filter?.startedTo) qb.andWhere('c.started_at < :to', { to: filter.startedTo });
  if (filter?.campaignId)
    qb.andWhere('c.campaign_id = :campaignId', { campaignId: filter.campaignId });
  if (filter?.disputable !== undefined && filter.disputable !== null) {
    const sql = disputableSql(viewer);
    qb.andWhere(
      new Brackets((w) => w.where(filter.disputable ? sql : `NOT ${sql}`, { now: ctx.app.now() })),
    );
  }
  return qb;
}

export async function listCalls(
  ctx: Context,
  viewer: Viewer,
  args: { filter?: CallFilter; first: number; after?: string | null },
): Promise<Page<CallEntity>> {
  const first = checkFirst(args.first);
  const count = (q: SelectQueryBuilder<CallEntity>) => () => q.getCount();
  return keysetPage({
    qb: filtered(ctx, viewer, args.filter),
    tag: 'calls',
    keys: [
      dateKey('c.started_at', 'DESC', (c) => c.startedAt),
      uuidKey('c.id', 'DESC', (c) => c.id),
    ],
    first,
    after: args.after,
    count: count(filtered(ctx, viewer, args.filter)),
  });
}

/** A call the viewer may see, or null: a foreign call looks exactly like a missing one. */
export async function findVisibleCall(
  ctx: Context,
  viewer: Viewer,
  id: string,
): Promise<CallEntity | null> {
  if (!isUuid(id)) return null;
  const call = await ctx.loaders.call.load(id);
  return call && canSeeAccount(viewer, call.buyerId) ? call : null;
}

/** Everything evaluateDisputability needs, through the request's loaders. */
export async function disputabilityOf(
  ctx: Context,
  viewer: Viewer,
  call: CallEntity,
): Promise<Disputability> {
  const [account, campaign, disputes] = await Promise.all([
    ctx.loaders.account.load(call.buyerId),
    ctx.loaders.campaign.load(call.campaignId),
    ctx.loaders.disputesOfCall.load(call.id),
  ]);
  if (!account || !campaign) throw new Error(`call ${call.id} lost its account or campaign`);
  return evaluateDisputability({
    canDispute: viewer.permissions.has('DISPUTE_CALLS') && viewer.accountId === call.buyerId,
    callStatus: call.status,
    startedAt: call.startedAt,
    windowHours: windowHoursOf(campaign.disputeWindowHours, account.disputeWindowHours),
    disputeStatuses: disputes.map((d) => d.status),
    now: ctx.app.now(),
  });
}
