import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CALL_COLUMNS as CALL_TABLE_COLUMNS, type CallEntity, callRowMapper } from './call.entity';
import { duplicateOfJoinSql } from './call-duplicates';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from './campaign.entity';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { mayView, narrowTo, reachOf, reachSql } from '../auth/visibility';
import { checkFilterIds, isUuid } from '../platform/ids';
import type { CallFilter } from './call.types';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import {
  pageColumns,
  tableColumns,
  type ColumnNeeds,
  type OptionalJoin,
  type PageColumn,
  type PageColumns,
} from '../platform/column-projection';
import { Conditions, countRows } from '../platform/sql-conditions';
import { whenReady, type Now } from '../platform/loaders';

/** Where a call's own columns are in a query, for SQL written by other features. */
export interface CallColumns {
  id: string;
  buyerId: string;
  campaignId: string;
  status: string;
  startedAt: string;
}

/** Columns of the Call Log's query (`c` is `calls`). */
const CALL_COLUMNS: CallColumns = {
  id: 'c.id',
  buyerId: 'c.buyer_id',
  campaignId: 'c.campaign_id',
  status: 'c.status',
  startedAt: 'c.started_at',
};

/**
 * What another feature adds to the Call Log (disputes/disputability.ts adds the `disputable`
 * filter, Call.disputability's columns and the statuses read with the page): calls/ sits below
 * those features, so they register here at start rather than being imported.
 */
export interface CallLogExtension {
  /** Columns added to the page's SELECT, as [`alias.column`, select expression]. */
  columns: PageColumn[];
  /** Columns a field reads on the Call Log only, beyond its declaration (ColumnNeeds.extra). */
  extra: NonNullable<ColumnNeeds['extra']>;
  /** The CallFilter fields whose conditions it writes. */
  filters: readonly (keyof CallFilter)[];
  /** The condition for `filter`, as SQL over the page's `calls c`; null for none. */
  condition(
    ctx: Context,
    viewer: Viewer,
    filter: CallFilter,
    call: CallColumns,
    bind: (value: unknown) => string,
  ): string | null;
  /** Takes what it read with the page from a raw row, for the call built from it. */
  read(raw: Record<string, unknown>, call: CallEntity): void;
}

const extensions: CallLogExtension[] = [];

/** Adds to the Call Log (once per process, at start, before the first page is read). */
export function extendCallLog(extension: CallLogExtension): void {
  if (pageColumnsBuilt) throw new Error('The Call Log is extended before its first page.');
  extensions.push(extension);
}

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
  for (const key of ['disputable'] as const) {
    if (filter?.[key] !== undefined && filter[key] !== null) {
      if (!extensions.some((e) => e.filters.includes(key))) {
        throw new Error(`No Call Log extension writes the "${key}" filter.`);
      }
    }
  }
  for (const extension of extensions) {
    if (!filter || !extension.filters.some((k) => filter[k] !== undefined && filter[k] !== null)) {
      continue;
    }
    const condition = extension.condition(ctx, viewer, filter, CALL_COLUMNS, bind);
    if (condition) where.and(condition);
  }
  return where;
}

/** The Call Log's rows: each call with its buyer account (`acc`) and campaign (`camp`). */
const CALL_LOG_JOINS: ColumnNeeds['joins'] = {
  Call: { self: 'c', account: 'acc', campaign: 'camp' },
  Account: { self: 'acc' },
  Campaign: { self: 'camp' },
};

const duplicateOf = callRowMapper('dup');

/** Call.duplicateOf of the page's calls, with the page when shown (rule 15, one lateral step each). */
const DUPLICATE_OF_JOIN: OptionalJoin = {
  fields: ['Call.duplicateOf'],
  columns: tableColumns('dup', CALL_TABLE_COLUMNS),
  sql: (bind, ctx) =>
    duplicateOfJoinSql('c', 'dup', bind(ctx.app.config.DUPLICATE_WINDOW_HOURS * 3600)),
  prime: (raw, ctx) => {
    ctx.loaders.duplicateOf.prime(raw.c_id as string, raw.dup_id ? duplicateOf(raw) : null);
  },
};

let pageColumnsBuilt: PageColumns | undefined;

/**
 * Calls with their accounts and campaigns, and what extensions add, as the row mappers read
 * them; built at the first page, after every extension has registered.
 */
function callLogColumns(): PageColumns {
  pageColumnsBuilt ??= pageColumns(
    [
      ...tableColumns('c', CALL_TABLE_COLUMNS),
      ...tableColumns('acc', ACCOUNT_COLUMNS),
      ...tableColumns('camp', CAMPAIGN_COLUMNS),
      ...extensions.flatMap((e) => e.columns),
    ],
    {
      // The ids the resolvers look rows up by (the order adds its keys' columns).
      always: ['c.id', 'c.buyer_id', 'c.campaign_id', 'acc.id', 'camp.id'],
      // What each field reads is declared beside it (platform/field-reads.ts).
      joins: CALL_LOG_JOINS,
      extra: Object.assign({}, ...extensions.map((e) => e.extra)) as ColumnNeeds['extra'],
      optional: [DUPLICATE_OF_JOIN],
    },
  );
  return pageColumnsBuilt;
}

const pageFrom = (list: string, joins: string) =>
  `SELECT ${list}
  FROM calls c
  JOIN accounts acc ON acc.id = c.buyer_id
  JOIN campaigns camp ON camp.id = c.campaign_id${joins}`;

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
  const { list, only, joins } = callLogColumns().select(shown, NEWEST_FIRST_COLUMNS);
  const callOf = callRowMapper('c', only);
  const accountOf = accountRowMapper('acc', only);
  const campaignOf = campaignRowMapper('camp', only);
  const conditions = filtered(ctx, viewer, args.filter);
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: pageFrom(list, joins.map((j) => `\n  ${j.sql(conditions.bind, ctx)}`).join('')),
    conditions,
    tag: 'calls',
    prepared: true,
    keys: NEWEST_FIRST,
    first,
    after: args.after,
    // Counted only when totalCount is asked for.
    count: () => countRows(ctx.app.ds, 'calls c', filtered(ctx, viewer, args.filter)),
    fromRaw: (raw) => {
      const call = callOf(raw);
      for (const extension of extensions) extension.read(raw, call);
      account.prime(call.buyerId, accountOf(raw));
      campaign.prime(call.campaignId, campaignOf(raw));
      for (const join of joins) join.prime(raw, ctx);
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

/** A buyer account's currency, through the request's loaders: at once for a page's accounts. */
export function accountCurrency(ctx: Context, accountId: string): Now<string> {
  return whenReady(ctx.loaders.account.row(accountId), (account) => {
    if (!account) throw new Error(`account ${accountId} is missing`);
    return account.currency;
  });
}

/**
 * The Call Log's rows for a filter as SQL over `calls c`, its buyer `acc` and campaign `camp`:
 * exactly the rows, in the order, the Call Log lists (an export writes these).
 */
export function callLogSql(
  ctx: Context,
  viewer: Viewer,
  filter: CallFilter | undefined,
): { from: string; where: Conditions; orderBy: string } {
  return {
    from: pageFrom('', '')
      .replace(/^SELECT\s+/, '')
      .replace(/^FROM\s+/, ''),
    where: filtered(ctx, viewer, filter),
    orderBy: NEWEST_FIRST.map((k) => `${k.sql} ${k.dir}`).join(', '),
  };
}
