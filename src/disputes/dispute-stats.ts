import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput, forbidden } from '../platform/errors';
import { positional, reachOf, reachSql, type Reach } from '../auth/visibility';
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

/** Per grouping: the key and label expressions over `s` (scoped calls), `a`, `cp` and `l`. */
const GROUPS: Record<DisputeStatsGroup, { key: string; label: string; disputedOnly: boolean }> = {
  CAMPAIGN: { key: 's.campaign_id::text', label: 'cp.name', disputedOnly: false },
  BUYER: { key: 's.buyer_id::text', label: 'a.name', disputedOnly: false },
  REASON: { key: 'l.reason', label: 'l.reason', disputedOnly: true },
  DAY: {
    key: `to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    label: `to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    disputedOnly: false,
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
 * One statement: the calls started in [from, to) within the viewer's reach, each joined to its
 * latest dispute (DISTINCT ON by createdAt, then ID), counted per group and currency. The
 * disputes are read by their copy of the call's start (disputes.call_started_at, kept in step by
 * the import), so both sides are index range scans joined by hash rather than one lookup per
 * call. Rows come ordered by key, then currency, byte-wise (COLLATE "C"), as the contract orders
 * keys "as a plain string" whatever the database's collation.
 */
function statsSql(groupBy: DisputeStatsGroup, reachCondition: string): string {
  const g = GROUPS[groupBy];
  return `
    WITH latest AS (
      SELECT DISTINCT ON (d.call_id) d.call_id, d.status, d.reason
        FROM disputes d
       WHERE d.call_started_at >= $1 AND d.call_started_at < $2
       ORDER BY d.call_id, d.created_at DESC, d.id DESC
    )
    SELECT ${g.key} AS key, ${g.label} AS label, a.currency,
           count(*)::int AS calls,
           count(l.call_id)::int AS disputed,
           count(*) FILTER (WHERE l.status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE l.status = 'ACCEPTED')::int AS accepted,
           count(*) FILTER (WHERE l.status = 'ACCEPTED_PARTIAL')::int AS accepted_partial,
           count(*) FILTER (WHERE l.status = 'REJECTED')::int AS rejected,
           count(*) FILTER (WHERE l.status = 'WITHDRAWN')::int AS withdrawn,
           sum(s.original_payout_minor - s.payout_minor)::text AS credited
      FROM calls s
      JOIN accounts a ON a.id = s.buyer_id
      ${groupBy === 'CAMPAIGN' ? 'JOIN campaigns cp ON cp.id = s.campaign_id' : ''}
      ${g.disputedOnly ? 'JOIN' : 'LEFT JOIN'} latest l ON l.call_id = s.id
     WHERE s.started_at >= $1 AND s.started_at < $2 AND ${reachCondition}
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
  const reach = reachOf(viewer, 'dispute');
  // The resolver's guard refuses first; the service keeps the rule (FORBIDDEN, not an empty list).
  if (reach.kind === 'none')
    throw forbidden('This needs the DISPUTE_CALLS or VIEW_DISPUTES permission.');
  const span = args.to.getTime() - args.from.getTime();
  if (!(span > 0)) throw badInput('to', 'must be after `from`.');
  if (span > MAX_STATS_RANGE_DAYS * DAY_MS)
    throw badInput('to', `must be at most ${MAX_STATS_RANGE_DAYS} days after \`from\`.`);
  const { sql, params } = disputeStatsStatement(args.groupBy, reach, args.from, args.to);
  const rows = (await ctx.app.ds.query(sql, params)) as GroupCurrencyRow[];
  return foldStatsRows(args.groupBy, rows);
}
