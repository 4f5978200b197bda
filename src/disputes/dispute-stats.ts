import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { reachSql, requireDisputeReach, type Reach } from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { money, type MoneyValue } from '../platform/common.types';

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
const GROUPS: Record<
  DisputeStatsGroup,
  { inner: string; key: string; label: string; join?: string; disputedOnly?: true }
> = {
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

/**
 * One statement, one range scan of `calls`: each call carries the status and reason of its
 * latest dispute (by createdAt, then ID; calls.latest_dispute_*, kept by a trigger on
 * `disputes`, migration 1764320000000), so no dispute is read. The calls are counted per group
 * and buyer account first (narrow rows, no names), then per group and currency with the names
 * joined to those few rows. Rows come ordered by key, then currency, byte-wise (COLLATE "C"):
 * the contract orders keys "as a plain string" whatever the database's collation.
 */
function statsSql(groupBy: DisputeStatsGroup, reachCondition: string): string {
  const g = GROUPS[groupBy];
  const status = 's.latest_dispute_status';
  return `
    WITH g AS (
      SELECT ${g.inner} AS k, s.buyer_id,
             count(*) AS calls,
             count(${status}) AS disputed,
             count(*) FILTER (WHERE ${status} = 'PENDING') AS pending,
             count(*) FILTER (WHERE ${status} = 'ACCEPTED') AS accepted,
             count(*) FILTER (WHERE ${status} = 'ACCEPTED_PARTIAL') AS accepted_partial,
             count(*) FILTER (WHERE ${status} = 'REJECTED') AS rejected,
             count(*) FILTER (WHERE ${status} = 'WITHDRAWN') AS withdrawn,
             sum(s.original_payout_minor - s.payout_minor) AS credited
        FROM calls s
       WHERE s.started_at >= $1 AND s.started_at < $2 AND ${reachCondition}
             ${g.disputedOnly ? `AND ${status} IS NOT NULL` : ''}
       GROUP BY 1, 2
    )
    SELECT ${g.key} AS key, ${g.label} AS label, a.currency,
           sum(g.calls)::int AS calls,
           sum(g.disputed)::int AS disputed,
           sum(g.pending)::int AS pending,
           sum(g.accepted)::int AS accepted,
           sum(g.accepted_partial)::int AS accepted_partial,
           sum(g.rejected)::int AS rejected,
           sum(g.withdrawn)::int AS withdrawn,
           sum(g.credited)::text AS credited
      FROM g
      JOIN accounts a ON a.id = g.buyer_id
      ${g.join ?? ''}
     GROUP BY 1, 2, 3
     ORDER BY ${g.key} COLLATE "C", a.currency COLLATE "C"`;
}

/** The statement and its parameters (exported for the scale benchmark's EXPLAIN ANALYZE). */
export function disputeStatsStatement(
  groupBy: DisputeStatsGroup,
  reach: Reach,
  from: Date,
  to: Date,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [from, to];
  return { sql: statsSql(groupBy, reachSql(reach, 's.buyer_id', positional(params))), params };
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
