import type { Role } from '../accounts/permissions';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { graphqlEnum } from '../platform/enums';
import type { Bind } from '../platform/sql-conditions';
import { disputabilitySql, disputabilitySqlFacts } from '../disputes/dispute-rules';

/*
 * The tables an export writes and their columns (rules 18 and 19): which columns each table
 * allows per role, the defaults, each column's CSV title and its value as SQL, written as the
 * API writes it.
 *
 * The lists and defaults are rule 18's; the table-settings feature keeps the same lists and the
 * viewer's saved columns. Until exports read the saved settings, an export without `columns`
 * takes rule 18's defaults for the viewer's role and table.
 */

export const TABLE_NAMES = ['DISPUTES', 'CALL_LOG'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const TABLE_COLUMNS = [
  'STATUS',
  'CALL_DATE',
  'CALLER_ID',
  'DESTINATION',
  'PAYOUT',
  'ORIGINAL_PAYOUT',
  'CURRENCY',
  'REASON',
  'RECORDING',
  'BUYER',
  'CAMPAIGN',
  'DURATION',
  'HANGUP',
  'CREATED_AT',
  'REVIEW_DUE_AT',
  'DECISION',
  'ADJUSTMENT',
  'DECIDED_AT',
  'DISPUTABILITY',
  'DISPUTE_ID',
  'CALL_ID',
] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export const TableNameEnum = graphqlEnum(TABLE_NAMES, {
  name: 'TableName',
  description: 'A table of the desk.',
  values: {
    DISPUTES: 'The Disputes page of a buyer and Manage Disputes of a manager.',
    CALL_LOG: 'The Call Log.',
  },
});

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

export const TableColumnEnum = graphqlEnum(TABLE_COLUMNS, {
  name: 'TableColumn',
  description: 'A column of a table. Each table allows the columns listed in README.md, rule 18.',
  values: {
    ...Object.fromEntries(TABLE_COLUMNS.map((c) => [c, `The ${COLUMN_TITLES[c]} column.`])),
    CURRENCY: "The currency code of the row's money columns.",
  } as Record<TableColumn, string>,
});

const ALLOWS: Record<TableName, readonly TableColumn[]> = {
  DISPUTES: [
    'STATUS',
    'CALL_DATE',
    'CALLER_ID',
    'DESTINATION',
    'PAYOUT',
    'ORIGINAL_PAYOUT',
    'CURRENCY',
    'REASON',
    'RECORDING',
    'BUYER',
    'CAMPAIGN',
    'CREATED_AT',
    'REVIEW_DUE_AT',
    'DECISION',
    'ADJUSTMENT',
    'DECIDED_AT',
    'DISPUTE_ID',
    'CALL_ID',
  ],
  CALL_LOG: [
    'CALL_DATE',
    'CALLER_ID',
    'DESTINATION',
    'PAYOUT',
    'ORIGINAL_PAYOUT',
    'CURRENCY',
    'STATUS',
    'DURATION',
    'HANGUP',
    'CAMPAIGN',
    'RECORDING',
    'DISPUTABILITY',
    'BUYER',
    'CALL_ID',
  ],
};

/** BUYER is for managers only. */
function allowed(table: TableName, role: Role, column: TableColumn): boolean {
  return ALLOWS[table].includes(column) && (column !== 'BUYER' || role === 'MANAGER');
}

const DEFAULTS: Record<TableName, Record<Role, readonly TableColumn[]>> = {
  DISPUTES: {
    BUYER: ['STATUS', 'CALL_DATE', 'CALLER_ID', 'DESTINATION', 'PAYOUT', 'REASON', 'RECORDING'],
    MANAGER: [
      'STATUS',
      'CALL_DATE',
      'BUYER',
      'CALLER_ID',
      'DESTINATION',
      'PAYOUT',
      'REASON',
      'RECORDING',
    ],
  },
  CALL_LOG: {
    BUYER: [
      'CALL_DATE',
      'CALLER_ID',
      'DESTINATION',
      'PAYOUT',
      'STATUS',
      'DURATION',
      'DISPUTABILITY',
    ],
    MANAGER: ['CALL_DATE', 'BUYER', 'CALLER_ID', 'DESTINATION', 'PAYOUT', 'STATUS', 'DURATION'],
  },
};

const MAX_COLUMNS = 20;

/** The columns to write: those given, checked as rule 18 checks a save, or the defaults. */
export function exportColumns(
  table: TableName,
  viewer: Viewer,
  given: readonly TableColumn[] | null | undefined,
): TableColumn[] {
  if (given === null || given === undefined) return [...DEFAULTS[table][viewer.role]];
  if (given.length < 1 || given.length > MAX_COLUMNS)
    throw badInput('columns', `must hold 1 to ${MAX_COLUMNS} columns.`);
  if (new Set(given).size !== given.length)
    throw badInput('columns', 'must not name a column twice.');
  const refused = given.filter((c) => !allowed(table, viewer.role, c));
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

/** One CSV line (without its line end) of the columns' values. */
export function lineSql(
  table: TableName,
  columns: readonly TableColumn[],
  viewer: Viewer,
  now: Date,
  bind: Bind,
): string {
  return columns
    .map((c) => `export_csv_field(${columnSql(table, c, viewer, now, bind)})`)
    .join(` || ',' || `);
}

/** The header line: the columns' titles. */
export function headerLine(columns: readonly TableColumn[]): string {
  return columns.map((c) => COLUMN_TITLES[c]).join(',');
}
