import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { reachSql, requireDisputeReach, type Reach } from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { money, type MoneyValue } from '../platform/common.types';
import { disputeStatsSql, type StatsGroupSql } from './dispute.queries';

/** Contract rule 16: what disputeStats groups by. */
export const DISPUTE_STATS_GROUPS = ['CAMPAIGN', 'BUYER', 'REASON', 'DAY'] as const;
export type DisputeStatsGroup = (typeof DISPUTE_STATS_GROUPS)[number];

/** The longest range, `to` minus `from` (rule 16). */
export const MAX_STATS_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * The most rows disputeStats answers: a range of 366 days touches at most 367 UTC days, and a
 * platform's campaigns or buyer accounts within one range stay below this. The cost check
 * counts a row's selection this many times (list-size.ts).
 */
export const MAX_STATS_ROWS = 500;
/** The most currencies one row's `credited` lists (one per currency among the group's calls). */
export const MAX_STATS_CURRENCIES = 10;

/** Root value of DisputeStatsRow. */
export interface DisputeStatsRowValue {
  key: string;
  label: string;
  calls: number | null;
  disputedCalls: number;
  disputeRate: number | null;
  pending: number;
  accepted: number;
  acceptedPartial: number;
  rejected: number;
  withdrawn: number;
  acceptanceRate: number | null;
  credited: MoneyValue[];
}

/**
 * Per grouping: the key as the calls are grouped (`inner`, over `s`, the calls), as the row
 * shows it (`key`, over `g.k`) and the label; REASON groups disputed calls only.
 */
const GROUPS: Record<DisputeStatsGroup, StatsGroupSql> = {
  CAMPAIGN: {
    inner: 's.campaign_id',
    key: 'g.k::text',
    label: 'cp.name',
    join: 'JOIN campaigns cp ON cp.id = g.k',
  },
  BUYER: { inner: 's.buyer_id', key: 'g.k::text', label: 'a.name' },
  REASON: { inner: 's.latest_dispute_reason', key: 'g.k', label: 'g.k', disputedOnly: true },
  DAY: {
    inner: `(s.started_at AT TIME ZONE 'UTC')::date`,
    key: `to_char(g.k::timestamp, 'YYYY-MM-DD')`,
    label: `to_char(g.k::timestamp, 'YYYY-MM-DD')`,
  },
};

interface GroupCurrencyRow {
  key: string;
  label: string;
  currency: string;
  calls: number;
  disputed: number;
  pending: number;
  accepted: number;
  accepted_partial: number;
  rejected: number;
  withdrawn: number;
  credited: string;
}

/** The statement and its parameters (exported for the scale benchmark's EXPLAIN ANALYZE). */
export function disputeStatsStatement(
  groupBy: DisputeStatsGroup,
  reach: Reach,
  from: Date,
  to: Date,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [from, to];
  return {
    sql: disputeStatsSql(GROUPS[groupBy], reachSql(reach, 's.buyer_id', positional(params))),
    params,
  };
}

const quotient = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Folds the (group, currency) rows, already in key then currency order, into one row per group. */
export function foldStatsRows(
  groupBy: DisputeStatsGroup,
  rows: readonly GroupCurrencyRow[],
): DisputeStatsRowValue[] {
  const out: (DisputeStatsRowValue & { callCount: number })[] = [];
  let cur: (typeof out)[number] | undefined;
  for (const r of rows) {
    if (cur?.key !== r.key) {
      if (out.length === MAX_STATS_ROWS) break;
      cur = {
        key: r.key,
        label: r.label,
        callCount: 0,
        calls: null,
        disputedCalls: 0,
        disputeRate: null,
        pending: 0,
        accepted: 0,
        acceptedPartial: 0,
        rejected: 0,
        withdrawn: 0,
        acceptanceRate: null,
        credited: [],
      };
      out.push(cur);
    }
    cur.callCount += r.calls;
    cur.disputedCalls += r.disputed;
    cur.pending += r.pending;
    cur.accepted += r.accepted;
    cur.acceptedPartial += r.accepted_partial;
    cur.rejected += r.rejected;
    cur.withdrawn += r.withdrawn;
    if (cur.credited.length < MAX_STATS_CURRENCIES)
      cur.credited.push(money(Number(r.credited), r.currency));
  }
  return out.map(({ callCount, ...row }) => {
    // REASON groups disputed calls only: a call has no reason, so there is no call count.
    const calls = groupBy === 'REASON' ? null : callCount;
    const decided = row.accepted + row.acceptedPartial + row.rejected;
    return {
      ...row,
      calls,
      disputeRate: calls === null ? null : quotient(row.disputedCalls, calls),
      acceptanceRate: quotient(row.accepted + row.acceptedPartial, decided),
    };
  });
}

/** Rule 16: disputeStats for the viewer (buyers: own account; managers: every account). */
export async function disputeStats(
  ctx: Context,
  viewer: Viewer,
  args: { groupBy: DisputeStatsGroup; from: Date; to: Date },
): Promise<DisputeStatsRowValue[]> {
  const reach = requireDisputeReach(viewer);
  const span = args.to.getTime() - args.from.getTime();
  if (!(span > 0)) throw badInput('to', 'must be after `from`.');
  if (span > MAX_STATS_RANGE_DAYS * DAY_MS)
    throw badInput('to', `must be at most ${MAX_STATS_RANGE_DAYS} days after \`from\`.`);
  const { sql, params } = disputeStatsStatement(args.groupBy, reach, args.from, args.to);
  const rows = (await ctx.app.ds.query(sql, params)) as GroupCurrencyRow[];
  return foldStatsRows(args.groupBy, rows);
}
