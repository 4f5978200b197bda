import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import type { Context } from '../platform/context';
import {
  columnAllowed,
  MAX_COLUMNS,
  type TableColumn,
  type TableName,
} from '../settings/table-settings-rules';
import { viewerTableSettings } from '../settings/table-settings.service';
import type { Bind } from '../platform/sql-conditions';
import { disputabilitySql, disputabilitySqlFacts } from '../disputes/dispute-rules';

/*
 * The columns an export writes (rules 18 and 19): each column's CSV title and its value as SQL,
 * written as the API writes it. The tables, their columns per role and the defaults are the
 * table settings' (settings/table-settings-rules.ts); an export without `columns` writes the
 * viewer's table settings.
 */

export type { TableColumn, TableName };

/** Each column's CSV title (rule 19). */
export const COLUMN_TITLES: Record<TableColumn, string> = {
  STATUS: 'Status',
  CALL_DATE: 'Call Date',
  CALLER_ID: 'Caller ID',
  DESTINATION: 'Destination',
  PAYOUT: 'Payout',
  ORIGINAL_PAYOUT: 'Original Payout',
  CURRENCY: 'Currency',
  REASON: 'Reason',
  RECORDING: 'Recording',
  BUYER: 'Buyer',
  CAMPAIGN: 'Campaign',
  DURATION: 'Duration',
  HANGUP: 'Hangup',
  CREATED_AT: 'Created At',
  REVIEW_DUE_AT: 'Review Due At',
  DECISION: 'Decision',
  ADJUSTMENT: 'Adjustment',
  DECIDED_AT: 'Decided At',
  DISPUTABILITY: 'Disputability',
  DISPUTE_ID: 'Dispute ID',
  CALL_ID: 'Call ID',
};

/**
 * The columns to write: those given, checked as rule 18 checks a save, or the viewer's table
 * settings (their saved columns, or the role's defaults).
 */
export async function exportColumns(
  ctx: Context,
  table: TableName,
  viewer: Viewer,
  given: readonly TableColumn[] | null | undefined,
): Promise<TableColumn[]> {
  if (given === null || given === undefined) {
    return [...(await viewerTableSettings(ctx, viewer, table)).columns];
  }
  if (given.length < 1 || given.length > MAX_COLUMNS)
    throw badInput('columns', `Give 1 to ${MAX_COLUMNS} columns (got ${given.length}).`);
  if (new Set(given).size !== given.length) {
    throw badInput('columns', `${given.find((c, i) => given.indexOf(c) !== i)} is listed twice.`);
  }
  const refused = given.filter((c) => !columnAllowed(table, viewer.role, c));
  if (refused.length)
    throw badInput('columns', `${refused.join(', ')} cannot be shown in ${table}.`);
  return [...given];
}

/** A DateTime as the API writes it (isoInstant: milliseconds, UTC, `Z`). */
const instant = (sql: string) =>
  `to_char(date_trunc('milliseconds', ${sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Money as its Decimal amount (formatMinor: two fraction digits). */
const money = (sql: string) => `((${sql})::numeric / 100)::numeric(22, 2)::text`;
const hangup = (c: string) =>
  `CASE WHEN ${c}.hangup_by IS NULL THEN NULL
        WHEN coalesce(${c}.hangup_cause, '') = '' THEN ${c}.hangup_by
        ELSE ${c}.hangup_by || ': ' || ${c}.hangup_cause END`;
const recording = (c: string) => `CASE WHEN ${c}.recording_key IS NULL THEN 'no' ELSE 'yes' END`;
/** The decision exists once decided (dispute.resolver.ts's `decision`). */
const decided = (d: string) =>
  `${d}.status <> 'PENDING' AND ${d}.decided_at IS NOT NULL AND ${d}.decided_by IS NOT NULL`;

/**
 * Each column's value as SQL text over the export's query, NULL for a missing value: over
 * `disputes d`, `calls c`, `accounts a`, `campaigns cp` for DISPUTES, and over `calls c`,
 * `accounts acc`, `campaigns camp` for CALL_LOG.
 */
export function columnSql(
  table: TableName,
  column: TableColumn,
  viewer: Viewer,
  now: Date,
  bind: Bind,
): string {
  const a = table === 'DISPUTES' ? 'a' : 'acc';
  const cp = table === 'DISPUTES' ? 'cp' : 'camp';
  switch (column) {
    case 'STATUS':
      return table === 'DISPUTES' ? 'd.status' : 'c.status';
    case 'CALL_DATE':
      return instant('c.started_at');
    case 'CALLER_ID':
      return 'c.caller_id';
    case 'DESTINATION':
      return 'c.destination';
    case 'PAYOUT':
      return money('c.payout_minor');
    case 'ORIGINAL_PAYOUT':
      return money('c.original_payout_minor');
    case 'CURRENCY':
      return `${a}.currency::text`;
    case 'REASON':
      return 'd.reason';
    case 'RECORDING':
      return recording('c');
    case 'BUYER':
      return `${a}.name`;
    case 'CAMPAIGN':
      return `${cp}.name`;
    case 'DURATION':
      return 'c.duration_seconds::text';
    case 'HANGUP':
      return hangup('c');
    case 'CREATED_AT':
      return instant('d.created_at');
    case 'REVIEW_DUE_AT':
      return instant('d.review_due_at');
    case 'DECISION':
      return `CASE WHEN ${decided('d')} THEN d.status END`;
    case 'ADJUSTMENT':
      return `CASE WHEN ${decided('d')} THEN ${money('coalesce(d.adjustment_minor, 0)')} END`;
    case 'DECIDED_AT':
      return `CASE WHEN ${decided('d')} THEN ${instant('d.decided_at')} END`;
    case 'DISPUTABILITY': {
      // The rules' own SQL (dispute-rules.ts), as Call.disputability and the Call Log's filter.
      const { blockedBy } = disputabilitySql(
        disputabilitySqlFacts(
          {
            id: 'c.id',
            buyerId: 'c.buyer_id',
            campaignId: 'c.campaign_id',
            status: 'c.status',
            startedAt: 'c.started_at',
          },
          viewer,
          now,
          bind,
        ),
      );
      return `coalesce(${blockedBy}, 'ALLOWED')`;
    }
    case 'DISPUTE_ID':
      return 'd.id::text';
    case 'CALL_ID':
      return 'c.id::text';
  }
}

/**
 * The columns whose every value is written by columnSql from what the tables' checks allow:
 * enum names, instants (`2026-…Z`), amounts and durations of at least 0 (the tables refuse
 * less), currency codes, `yes`/`no`, UUIDs. None begins with `=`, `+`, `-`, `@`, a tab or a CR,
 * or holds a comma, a quote, a CR or an LF, so export_csv_field would hand each back unchanged:
 * their cells skip it (a call of it per cell is most of what the lines cost PostgreSQL to
 * write). Names, phone numbers and hangup causes are anyone's text and always go through it.
 */
const PLAIN_CELLS: ReadonlySet<TableColumn> = new Set<TableColumn>([
  'STATUS',
  'CALL_DATE',
  'PAYOUT',
  'ORIGINAL_PAYOUT',
  'CURRENCY',
  'REASON',
  'RECORDING',
  'DURATION',
  'CREATED_AT',
  'REVIEW_DUE_AT',
  'DECISION',
  'ADJUSTMENT',
  'DECIDED_AT',
  'DISPUTABILITY',
  'DISPUTE_ID',
  'CALL_ID',
]);

/** One CSV line (without its line end) of the columns' values. */
export function lineSql(
  table: TableName,
  columns: readonly TableColumn[],
  viewer: Viewer,
  now: Date,
  bind: Bind,
): string {
  return columns
    .map((c) => {
      const value = columnSql(table, c, viewer, now, bind);
      return PLAIN_CELLS.has(c) ? `coalesce(${value}, '')` : `export_csv_field(${value})`;
    })
    .join(` || ',' || `);
}

/** The header line: the columns' titles. */
export function headerLine(columns: readonly TableColumn[]): string {
  return columns.map((c) => COLUMN_TITLES[c]).join(',');
}
