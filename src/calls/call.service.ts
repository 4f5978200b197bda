import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CALL_COLUMNS as CALL_TABLE_COLUMNS, type CallEntity, callRowMapper } from './call.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import type { DisputeStatus } from '../disputes/dispute.entity';
import { mayView, narrowTo, reachOf, reachSql } from '../auth/visibility';
import { checkFilterIds, isUuid } from '../platform/ids';
import type { CallFilter } from './call.types';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import {
  connectionFieldNeeds,
  pageColumns,
  tableColumns,
  type ColumnNeeds,
} from '../platform/column-projection';
import { Conditions, countRows } from '../platform/sql-conditions';
import { whenAllReady, whenReady, type Now } from '../platform/loaders';
import {
  disputabilityFacts,
  disputabilitySql,
  disputabilitySqlFacts,
  evaluateDisputability,
  STANDING_STATUSES_SQL,
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

/** The Call Log's filters and the viewer's reach, as plain SQL over `calls c`. */
function filtered(ctx: Context, viewer: Viewer, filter: CallFilter | undefined): Conditions {
  checkFilterIds(filter, ['buyerId', 'campaignId']);
  const where = new Conditions();
  const { bind } = where;
  where.and(reachSql(narrowTo(reachOf(viewer, 'call'), filter?.buyerId), 'c.buyer_id', bind));
  if (filter?.status?.length) where.and(`c.status IN ${where.list(filter.status)}`);
  if (filter?.startedFrom) where.and(`c.started_at >= ${bind(filter.startedFrom)}`);
  if (filter?.startedTo) where.and(`c.started_at < ${bind(filter.startedTo)}`);
  if (filter?.campaignId) where.and(`c.campaign_id = ${bind(filter.campaignId)}`);
  if (filter?.disputable !== undefined && filter.disputable !== null) {
    // The rules' own SQL (dispute-rules.ts), so the filter and Call.disputability agree.
    const facts = disputabilitySqlFacts(CALL_COLUMNS, viewer, ctx.app.now(), bind);
    const { allowed } = disputabilitySql(facts);
    where.and(filter.disputable ? allowed : `NOT (${allowed})`);
  }
  return where;
}

/** A call of the Call Log: it carries the statuses of its disputes, read with the page. */
interface ListedCall extends CallEntity {
  disputeStatuses?: DisputeStatus[];
}

/**
 * What the fields of a call shown on a page read (ColumnNeeds): the call's row (`c`), its
 * account's (`acc`) and its campaign's (`cp`), by the page's aliases. Each entry is checked
 * against its resolver in call.resolver.ts and the rules it calls (disputabilityFacts).
 */
export function callFieldNeeds(c: string, acc: string, cp: string): ColumnNeeds['fields'] {
  return {
    'Call.id': [],
    'Call.startedAt': [`${c}.started_at`],
    'Call.callerId': [`${c}.caller_id`],
    'Call.destination': [`${c}.destination`],
    'Call.durationSeconds': [`${c}.duration_seconds`],
    'Call.status': [`${c}.status`],
    'Call.payout': [`${c}.payout_minor`, `${acc}.currency`],
    'Call.originalPayout': [`${c}.original_payout_minor`, `${acc}.currency`],
    'Call.hangup': [`${c}.hangup_by`, `${c}.hangup_cause`],
    'Call.buyer': [],
    'Call.campaign': [],
    'Call.disputability': [
      `${c}.status`,
      `${c}.started_at`,
      `${cp}.dispute_window_hours`,
      `${acc}.dispute_window_hours`,
    ],
    'Money.amount': [],
    'Money.currency': [],
    'Hangup.by': [],
    'Hangup.cause': [],
    'Disputability.allowed': [],
    'Disputability.blockedBy': [],
    'Disputability.windowEndsAt': [],
    'Account.id': [],
    'Account.name': [`${acc}.name`],
    'Campaign.id': [],
    'Campaign.name': [`${cp}.name`],
  };
}

const CALL_FIELD_NEEDS = callFieldNeeds('c', 'acc', 'camp');

/** Calls with their accounts, campaigns and dispute statuses, as the row mappers read them. */
const PAGE_COLUMNS = pageColumns(
  [
    ...tableColumns('c', CALL_TABLE_COLUMNS),
    ...tableColumns('acc', ACCOUNT_COLUMNS),
    ...tableColumns('camp', CAMPAIGN_COLUMNS),
    [
      'c.dispute_statuses',
      `ARRAY(SELECT ds.status FROM disputes ds WHERE ds.call_id = c.id AND ds.status IN (${STANDING_STATUSES_SQL})) AS c_dispute_statuses`,
    ],
  ],
  {
    // The ids the resolvers look rows up by (the order adds its keys' columns).
    always: ['c.id', 'c.buyer_id', 'c.campaign_id', 'acc.id', 'camp.id'],
    fields: {
      'Query.calls': [],
      ...connectionFieldNeeds('CallConnection', 'CallEdge'),
      ...CALL_FIELD_NEEDS,
      // Read with the page, the statuses spare disputability a statement per page.
      'Call.disputability': [...CALL_FIELD_NEEDS['Call.disputability']!, 'c.dispute_statuses'],
    },
  },
);

const pageFrom = (list: string) =>
  `SELECT ${list}
  FROM calls c
  JOIN accounts acc ON acc.id = c.buyer_id
  JOIN campaigns camp ON camp.id = c.campaign_id`;

const NEWEST_FIRST = newestFirst<CallEntity>('c', 'started_at', (c) => c.startedAt);
const NEWEST_FIRST_COLUMNS = NEWEST_FIRST.map((k) => k.column);

export async function listCalls(
  ctx: Context,
  viewer: Viewer,
  args: { filter?: CallFilter; first: number; after?: string | null },
  /** The operation asking, so the page reads only the columns it shows. */
  shown?: GraphQLResolveInfo,
): Promise<Page<CallEntity>> {
  const first = checkFirst(args.first);
  // Everything a row shows (payout currency, campaign, disputability) comes with the page, the
  // account and campaign into the request's loaders: one statement for the page, not four.
  const { account, campaign } = ctx.loaders;
  const { list, only } = PAGE_COLUMNS.select(shown, NEWEST_FIRST_COLUMNS);
  const callOf = callRowMapper('c', only);
  const accountOf = accountRowMapper('acc', only);
  const campaignOf = campaignRowMapper('camp', only);
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: pageFrom(list),
    conditions: filtered(ctx, viewer, args.filter),
    tag: 'calls',
    keys: NEWEST_FIRST,
    first,
    after: args.after,
    // Counted only when totalCount is asked for.
    count: () => countRows(ctx.app.ds, 'calls c', filtered(ctx, viewer, args.filter)),
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

/** A buyer account's currency, through the request's loaders: at once for a page's accounts. */
export function accountCurrency(ctx: Context, accountId: string): Now<string> {
  return whenReady(ctx.loaders.account.row(accountId), (account) => {
    if (!account) throw new Error(`account ${accountId} is missing`);
    return account.currency;
  });
}
