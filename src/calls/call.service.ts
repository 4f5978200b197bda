import { Brackets } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CallEntity, callRowMapper } from './call.entity';
import { CampaignEntity, campaignRowMapper } from './campaign.entity';
import { AccountEntity, accountRowMapper } from '../accounts/account.entity';
import type { DisputeStatus } from '../disputes/dispute.entity';
import { mayView, narrowTo, reachOf, scopeToReach } from '../auth/visibility';
import { isUuid } from '../platform/ids';
import type { CallFilter } from './call.types';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetPage, newestFirst } from '../platform/keyset';
import type { Now } from '../platform/loaders';
import { badInput } from '../platform/errors';
import {
  disputabilityFacts,
  disputabilitySql,
  disputabilitySqlFacts,
  evaluateDisputability,
  type CallColumns,
  type Disputability,
} from '../disputes/dispute-rules';

/** Columns of the Call Log's query (`c` is `calls`), as the disputability rules read them. */
const CALL_COLUMNS: CallColumns = {
  id: 'c.id',
  buyerId: 'c.buyer_id',
  campaignId: 'c.campaign_id',
  status: 'c.status',
  startedAt: 'c.started_at',
};

/** The `disputable` filter: the rules' SQL, bound as TypeORM parameters. */
function disputableWhere(viewer: Viewer, now: Date, disputable: boolean) {
  const params: Record<string, unknown> = {};
  const bind = (value: unknown) => {
    const name = `disputable${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  const { allowed } = disputabilitySql(disputabilitySqlFacts(CALL_COLUMNS, viewer, now, bind));
  return new Brackets((w) => w.where(disputable ? allowed : `NOT ${allowed}`, params));
}

function filtered(ctx: Context, viewer: Viewer, filter: CallFilter | undefined) {
  const qb = ctx.app.ds.getRepository(CallEntity).createQueryBuilder('c');
  scopeToReach(qb, narrowTo(reachOf(viewer, 'call'), filter?.buyerId), 'c.buyer_id');
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
    qb.andWhere(disputableWhere(viewer, ctx.app.now(), filter.disputable));
  }
  return qb;
}

/** A call of the Call Log: it carries the statuses of its disputes, read with the page. */
interface ListedCall extends CallEntity {
  disputeStatuses?: DisputeStatus[];
}

const callOf = callRowMapper('c');
const accountOf = accountRowMapper('acc');
const campaignOf = campaignRowMapper('camp');

export async function listCalls(
  ctx: Context,
  viewer: Viewer,
  args: { filter?: CallFilter; first: number; after?: string | null },
): Promise<Page<CallEntity>> {
  const first = checkFirst(args.first);
  // Everything a row shows (payout currency, campaign, disputability) comes with the page, the
  // account and campaign into the request's loaders: one statement for the page, not four.
  const qb = filtered(ctx, viewer, args.filter)
    .innerJoin(AccountEntity, 'acc', 'acc.id = c.buyer_id')
    .innerJoin(CampaignEntity, 'camp', 'camp.id = c.campaign_id')
    .addSelect(['acc', 'camp'])
    .addSelect(
      'ARRAY(SELECT ds.status FROM disputes ds WHERE ds.call_id = c.id)',
      'c_dispute_statuses',
    );
  const { account, campaign } = ctx.loaders;
  return keysetPage({
    qb,
    tag: 'calls',
    keys: newestFirst('c', 'started_at', (c) => c.startedAt),
    first,
    after: args.after,
    // Built only when totalCount is asked for.
    count: () => filtered(ctx, viewer, args.filter).getCount(),
    fromRaw: (raw) => {
      const call: ListedCall = callOf(raw);
      call.disputeStatuses = raw.c_dispute_statuses as DisputeStatus[];
      account.prime(call.buyerId, accountOf(raw));
      campaign.prime(call.campaignId, campaignOf(raw));
      return call;
    },
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
  return call && mayView(viewer, 'call', call.buyerId) ? call : null;
}

/**
 * Everything evaluateDisputability needs, through the request's loaders: at once for a page's
 * calls, whose account, campaign and dispute statuses came with the page.
 */
export function disputabilityOf(
  ctx: Context,
  viewer: Viewer,
  call: ListedCall,
): Now<Disputability> {
  const statuses = call.disputeStatuses;
  const account = ctx.loaders.account.row(call.buyerId);
  const campaign = ctx.loaders.campaign.row(call.campaignId);
  const disputes = statuses
    ? statuses.map((status) => ({ status }))
    : ctx.loaders.disputesOfCall.load(call.id);
  const evaluate = (
    a: AccountEntity | null,
    c: CampaignEntity | null,
    d: readonly { status: DisputeStatus }[],
  ) => {
    if (!a || !c) throw new Error(`call ${call.id} lost its account or campaign`);
    return evaluateDisputability(
      disputabilityFacts({
        viewer,
        call,
        campaign: c,
        account: a,
        disputes: d,
        now: ctx.app.now(),
      }),
    );
  };
  if (account instanceof Promise || campaign instanceof Promise || disputes instanceof Promise) {
    return Promise.all([account, campaign, disputes]).then(([a, c, d]) => evaluate(a, c, d));
  }
  return evaluate(account, campaign, disputes);
}
