import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CALL_COLUMNS, callRowMapper } from '../calls/call.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from '../calls/campaign.entity';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { USER_COLUMNS, userRowMapper } from '../accounts/user.entity';
import { checkFilterIds, isUuid } from '../platform/ids';
import { badInput } from '../platform/errors';
import { checkFirst, type Page } from '../platform/pagination';
import {
  bigintKey,
  dateKey,
  keysetSqlPage,
  newestFirst,
  smallintKey,
  uuidKey,
  type SortKey,
} from '../platform/keyset';
import { codePointLength } from '../platform/text-input';
import { pageColumns, tableColumns, type OptionalJoin } from '../platform/column-projection';
import { Conditions, countRows } from '../platform/sql-conditions';
import { selectedColumns } from '../platform/columns';
import { DISPUTE_COLUMNS, type DisputeEntity, disputeRowMapper } from './dispute.entity';
import {
  narrowTo,
  pendingDisputesSql,
  reachOf,
  reachSql,
  requireDisputeReach,
} from '../auth/visibility';
import type { DisputeFilter, DisputeOrder } from './dispute.types';
import { overdueSql } from './review-deadline';

const MAX_SEARCH_LENGTH = 100;

/**
 * Buyer: its account's PENDING disputes. Manager: all PENDING. 0 without the permission.
 * `overdue`: only those past their reviewDueAt at the server's clock (rule 14).
 */
export async function countPendingDisputes(
  ctx: Context,
  viewer: Viewer,
  opts: { overdue?: boolean } = {},
): Promise<number> {
  const reach = reachOf(viewer, 'dispute');
  if (reach.kind === 'none') return 0;
  const where = new Conditions();
  where.and(pendingDisputesSql(reach, 'd', where.bind));
  if (opts.overdue) where.and(overdueSql('d', true, where.bind(ctx.app.now())));
  return countRows(ctx.app.ds, 'disputes d', where);
}

/** A dispute the viewer may see, or null: a foreign one looks exactly like a missing one. */
export async function findVisibleDispute(
  ctx: Context,
  viewer: Viewer,
  id: string,
): Promise<DisputeEntity | null> {
  const reach = reachOf(viewer, 'dispute');
  if (!isUuid(id) || reach.kind === 'none') return null;
  const where = new Conditions();
  where.and(`d.id = ${where.bind(id)}`).and(reachSql(reach, 'd.buyer_id', where.bind));
  const [row] = (await ctx.app.ds.query(`${ONE_DISPUTE} ${where.where}`, where.params)) as Record<
    string,
    unknown
  >[];
  return row ? oneDisputeOf(row) : null;
}

const ONE_DISPUTE = `SELECT ${selectedColumns('d', DISPUTE_COLUMNS).join(', ')} FROM disputes d`;
const oneDisputeOf = disputeRowMapper('d');

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The Disputes page's filters and the viewer's reach, as plain SQL over `disputes d`. */
function filteredDisputes(
  ctx: Context,
  viewer: Viewer,
  filter: DisputeFilter | undefined | null,
  search: string | null,
): Conditions {
  const reach = requireDisputeReach(viewer);
  checkFilterIds(filter, ['buyerId', 'campaignId']);
  const where = new Conditions();
  const { bind } = where;
  where.and(reachSql(narrowTo(reach, filter?.buyerId), 'd.buyer_id', bind));
  if (filter?.status?.length) where.and(`d.status IN ${where.list(filter.status)}`);
  if (filter?.reason?.length) where.and(`d.reason IN ${where.list(filter.reason)}`);
  if (filter?.callDateFrom) where.and(`d.call_started_at >= ${bind(filter.callDateFrom)}`);
  if (filter?.callDateTo) where.and(`d.call_started_at < ${bind(filter.callDateTo)}`);
  if (filter?.campaignId) {
    where.and(
      `EXISTS (SELECT 1 FROM calls fc WHERE fc.id = d.call_id AND fc.campaign_id = ${bind(filter.campaignId)})`,
    );
  }
  if (filter?.overdue !== undefined && filter.overdue !== null) {
    where.and(overdueSql('d', filter.overdue, bind(ctx.app.now())));
  }
  if (filter?.hasRecording !== undefined && filter.hasRecording !== null) {
    where.and(
      `${filter.hasRecording ? '' : 'NOT '}EXISTS (SELECT 1 FROM calls rc WHERE rc.id = d.call_id AND rc.recording_key IS NOT NULL)`,
    );
  }
  if (search) {
    // The dispute's ID, or its call's caller ID or destination: each alternative is read on its
    // own, through its trigram indexes (disputes_id_text_trgm_idx, calls_*_trgm_idx), and the
    // page is their union (Conditions.anyOf); as one OR, every dispute was tested against both.
    const q = bind(likePattern(search));
    where.anyOf([
      `d.id::text ILIKE ${q}`,
      `d.call_id IN (SELECT sc.id FROM calls sc WHERE sc.caller_id ILIKE ${q} OR sc.destination ILIKE ${q})`,
    ]);
  }
  return where;
}

/** A user of each dispute (`column` of `d`), with the page when a field shows it. */
function userJoin(field: string, as: string, column: string): OptionalJoin {
  const userOf = userRowMapper(as);
  const id = `${as}_id`;
  return {
    fields: [field],
    columns: tableColumns(as, USER_COLUMNS),
    sql: () => `LEFT JOIN users ${as} ON ${as}.id = d.${column}`,
    prime: (raw, ctx) => {
      if (raw[id]) ctx.loaders.user.prime(raw[id] as string, userOf(raw));
    },
  };
}

/** Disputes with their calls, buyers and campaigns: one row each, as the row mappers read it. */
const PAGE_COLUMNS = pageColumns(
  [
    ...tableColumns('d', DISPUTE_COLUMNS),
    ...tableColumns('c', CALL_COLUMNS),
    ...tableColumns('a', ACCOUNT_COLUMNS),
    ...tableColumns('cp', CAMPAIGN_COLUMNS),
  ],
  {
    // The ids the resolvers look rows up by; each order adds the columns of its sort keys.
    always: [
      'd.id',
      'd.call_id',
      'd.buyer_id',
      'c.id',
      'c.buyer_id',
      'c.campaign_id',
      'a.id',
      'cp.id',
    ],
    // What each field reads is declared beside it (platform/field-reads.ts).
    joins: {
      Dispute: { self: 'd', account: 'a', call: 'c' },
      Call: { self: 'c', account: 'a', campaign: 'cp' },
      Account: { self: 'a' },
      Campaign: { self: 'cp' },
    },
    // Who sent it and who decided it: one row each, when shown.
    optional: [
      userJoin('Dispute.createdBy', 'cu', 'created_by'),
      userJoin('DisputeDecision.decidedBy', 'du', 'decided_by'),
    ],
  },
);

const pageFrom = (list: string, joins: string) =>
  `SELECT ${list}
  FROM disputes d
  JOIN calls c ON c.id = d.call_id
  JOIN accounts a ON a.id = d.buyer_id
  JOIN campaigns cp ON cp.id = c.campaign_id${joins}`;

const NEWEST_FIRST = newestFirst<DisputeEntity>('d', 'created_at', (d) => d.createdAt);

function sortKeys(order: DisputeOrder | null | undefined): {
  tag: string;
  keys: SortKey<DisputeEntity>[];
} {
  const dir = order?.direction ?? 'ASC';
  switch (order?.field ?? 'STATUS') {
    case 'STATUS':
      // Ascending status is descending `-status_rank`: every key then runs one way, a cursor
      // compares as one row and the index (migration 1764300000000) starts at it.
      return dir === 'ASC'
        ? {
            tag: 'status-first',
            keys: [smallintKey('(-d.status_rank)', 'DESC', (d) => -d.statusRank), ...NEWEST_FIRST],
          }
        : {
            tag: `status-${dir}`,
            keys: [smallintKey('d.status_rank', dir, (d) => d.statusRank), ...NEWEST_FIRST],
          };
    case 'CALL_DATE':
      return {
        tag: `call-${dir}`,
        keys: [dateKey('d.call_started_at', dir, (d) => d.callStartedAt), ...NEWEST_FIRST],
      };
    case 'CREATED_AT':
      return {
        tag: `created-${dir}`,
        keys: [dateKey('d.created_at', dir, (d) => d.createdAt), uuidKey('d.id', dir, (d) => d.id)],
      };
    case 'REVIEW_DUE_AT':
      // Served by disputes_review_due_idx (disputes_buyer_review_due_idx for one account).
      return {
        tag: `due-${dir}`,
        keys: [
          dateKey('d.review_due_at', dir, (d) => d.reviewDueAt),
          uuidKey('d.id', dir, (d) => d.id),
        ],
      };
    case 'PAYOUT':
      return {
        tag: `payout-${dir}`,
        keys: [
          bigintKey('c.payout_minor', dir, (_d, raw) => Number(raw.c_payout_minor)),
          ...NEWEST_FIRST,
        ],
      };
  }
}

export async function listDisputes(
  ctx: Context,
  viewer: Viewer,
  args: {
    filter?: DisputeFilter | null;
    search?: string | null;
    orderBy?: DisputeOrder | null;
    first: number;
    after?: string | null;
  },
  /** The operation asking, so the page reads only the columns it shows. */
  shown?: GraphQLResolveInfo,
): Promise<Page<DisputeEntity>> {
  const first = checkFirst(args.first);
  const search = args.search?.trim() || null;
  if (search && codePointLength(search) > MAX_SEARCH_LENGTH)
    throw badInput('search', `is longer than ${MAX_SEARCH_LENGTH} characters.`);
  const { tag, keys } = sortKeys(args.orderBy);
  // The page's calls, buyers and campaigns come with it, into the request's loaders: a page
  // showing them costs one statement, not four.
  const { call, account, campaign } = ctx.loaders;
  const { list, only, joins } = PAGE_COLUMNS.select(
    shown,
    keys.map((k) => k.column),
  );
  const disputeOf = disputeRowMapper('d', only);
  const callOf = callRowMapper('c', only);
  const accountOf = accountRowMapper('a', only);
  const campaignOf = campaignRowMapper('cp', only);
  const conditions = filteredDisputes(ctx, viewer, args.filter, search);
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: pageFrom(list, joins.map((j) => `\n  ${j.sql(conditions.bind, ctx)}`).join('')),
    conditions,
    tag,
    keys,
    prepared: true,
    first,
    after: args.after,
    // Counted only when totalCount is asked for.
    count: () =>
      countRows(
        ctx.app.ds,
        'disputes d',
        filteredDisputes(ctx, viewer, args.filter, search),
        'd.id',
      ),
    fromRaw: (raw) => {
      const dispute = disputeOf(raw);
      call.prime(dispute.callId, callOf(raw));
      account.prime(dispute.buyerId, accountOf(raw));
      const c = campaignOf(raw);
      campaign.prime(c.id, c);
      for (const join of joins) join.prime(raw, ctx);
      return dispute;
    },
  });
}

/**
 * The Disputes page's rows for a filter, search and order as SQL over `disputes d`, its call
 * `c`, buyer `a` and campaign `cp`: exactly the rows, in the order, the page lists (an export
 * writes these).
 */
export function disputeListSql(
  ctx: Context,
  viewer: Viewer,
  args: { filter?: DisputeFilter | null; search?: string | null; orderBy?: DisputeOrder | null },
): { from: string; where: Conditions; orderBy: string } {
  const search = args.search?.trim() || null;
  if (search && codePointLength(search) > MAX_SEARCH_LENGTH)
    throw badInput('search', `is longer than ${MAX_SEARCH_LENGTH} characters.`);
  const { keys } = sortKeys(args.orderBy);
  return {
    from: pageFrom('', '')
      .replace(/^SELECT\s+/, '')
      .replace(/^FROM\s+/, ''),
    where: filteredDisputes(ctx, viewer, args.filter, search),
    orderBy: keys.map((k) => `${k.sql} ${k.dir}`).join(', '),
  };
}
