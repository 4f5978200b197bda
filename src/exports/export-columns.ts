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
 * A cell whose every value is written from what the tables' checks allow: enum names, instants
 * (`2026-…Z`), amounts and durations of at least 0 (the tables refuse less), currency codes,
 * `yes`/`no`, UUIDs. None begins with `=`, `+`, `-`, `@`, a tab or a CR, or holds a comma, a
 * quote, a CR or an LF, so export_csv_field would hand each back unchanged: such cells skip it
 * (a call of it per cell is most of what the lines cost PostgreSQL to write). NULL is empty.
 */
const plain = (value: string) => `coalesce(${value}, '')`;

/** A cell of anyone's text (names, phone numbers, hangup causes): quoted and guarded. */
const text = (value: string) => `export_csv_field(${value})`;

/**
 * Each column's CSV cell as SQL text over the export's query, each column deciding whether its
 * values are `plain` or `text`: over `disputes d`, `calls c`, `accounts a`, `campaigns cp` for
 * DISPUTES, and over `calls c`, `accounts acc`, `campaigns camp` for CALL_LOG.
 */
function cellSql(
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
      return plain(table === 'DISPUTES' ? 'd.status' : 'c.status');
    case 'CALL_DATE':
      return plain(instant('c.started_at'));
    case 'CALLER_ID':
      return text('c.caller_id');
    case 'DESTINATION':
      return text('c.destination');
    case 'PAYOUT':
      return plain(money('c.payout_minor'));
    case 'ORIGINAL_PAYOUT':
      return plain(money('c.original_payout_minor'));
    case 'CURRENCY':
      return plain(`${a}.currency::text`);
    case 'REASON':
      return plain('d.reason');
    case 'RECORDING':
      return plain(recording('c'));
    case 'BUYER':
      return text(`${a}.name`);
    case 'CAMPAIGN':
      return text(`${cp}.name`);
    case 'DURATION':
      return plain('c.duration_seconds::text');
    case 'HANGUP':
      return text(hangup('c'));
    case 'CREATED_AT':
      return plain(instant('d.created_at'));
    case 'REVIEW_DUE_AT':
      return plain(instant('d.review_due_at'));
    case 'DECISION':
      return plain(`CASE WHEN ${decided('d')} THEN d.status END`);
    case 'ADJUSTMENT':
      return plain(
        `CASE WHEN ${decided('d')} THEN ${money('coalesce(d.adjustment_minor, 0)')} END`,
      );
    case 'DECIDED_AT':
      return plain(`CASE WHEN ${decided('d')} THEN ${instant('d.decided_at')} END`);
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
      return plain(`coalesce(${blockedBy}, 'ALLOWED')`);
    }
    case 'DISPUTE_ID':
      return plain('d.id::text');
    case 'CALL_ID':
      return plain('c.id::text');
  }
}

/** One CSV line (without its line end) of the columns' values. */
export function lineSql(
  table: TableName,
  columns: readonly TableColumn[],
  viewer: Viewer,
  now: Date,
  bind: Bind,
): string {
  return columns.map((c) => cellSql(table, c, viewer, now, bind)).join(` || ',' || `);
}

/** The header line: the columns' titles. */
export function headerLine(columns: readonly TableColumn[]): string {
  return columns.map((c) => COLUMN_TITLES[c]).join(',');
}
