import type { Role } from '../accounts/permissions';
import { reachOf, requireDisputeReach, type Reader } from '../auth/visibility';
import { badInput } from '../platform/errors';
import type { OrderDirection } from '../platform/common.types';
import type { DisputeOrderField } from '../disputes/dispute.types';

/**
 * Rule 18, written once: which columns each table allows, the defaults per role, the bounds of
 * a save, and who may use a table. The service, the live hub (which re-checks each subscriber)
 * and the GraphQL enums all read these lists.
 */

export const TABLE_NAMES = ['DISPUTES', 'CALL_LOG'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Every column of every table, in the contract's order (the GraphQL enum's order). */
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

/** The columns each table allows, for managers; BUYER_HIDDEN says what buyers lose. */
const TABLE_ALLOWS: Record<TableName, readonly TableColumn[]> = {
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

/** Columns for managers only: a buyer sees its own account's rows, so BUYER tells it nothing. */
const BUYER_HIDDEN: readonly TableColumn[] = ['BUYER'];

const ALLOWED: Record<TableName, Record<Role, ReadonlySet<TableColumn>>> = {
  DISPUTES: byRole(TABLE_ALLOWS.DISPUTES),
  CALL_LOG: byRole(TABLE_ALLOWS.CALL_LOG),
};

function byRole(columns: readonly TableColumn[]): Record<Role, ReadonlySet<TableColumn>> {
  return {
    MANAGER: new Set(columns),
    BUYER: new Set(columns.filter((c) => !BUYER_HIDDEN.includes(c))),
  };
}

/** Whether `role` may show `column` in `table`. */
export function columnAllowed(table: TableName, role: Role, column: TableColumn): boolean {
  return ALLOWED[table][role].has(column);
}

/** The columns shown while a user has saved nothing (or reset): the seed's tables. */
export const DEFAULT_COLUMNS: Record<TableName, Record<Role, readonly TableColumn[]>> = {
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

export const MAX_COLUMNS = 20;
export const PAGE_SIZE = { min: 10, max: 100, default: 25 } as const;

/** The tables that may keep an order: only the Disputes page has a saved one. */
const ORDERED_TABLES: readonly TableName[] = ['DISPUTES'];

export interface DisputeOrderValue {
  field: DisputeOrderField;
  direction: OrderDirection;
}

/** What TableSettings answers: the stored settings, or the defaults (version 0). */
export interface TableSettingsValue {
  table: TableName;
  columns: TableColumn[];
  pageSize: number;
  disputeOrder: DisputeOrderValue | null;
  version: number;
  updatedAt: Date | null;
}

/** What a save stores, once checked. */
export interface TableSettingsChoice {
  columns: TableColumn[];
  pageSize: number;
  disputeOrder: DisputeOrderValue | null;
}

/**
 * Whether the viewer may read, save, reset or be sent the table's settings: DISPUTES needs
 * what the `disputes` query needs (visibility.ts's dispute reach); CALL_LOG every user.
 */
export function mayUseTable(viewer: Reader, table: TableName): boolean {
  return table !== 'DISPUTES' || reachOf(viewer, 'dispute').kind !== 'none';
}

/** mayUseTable, as FORBIDDEN with the `disputes` query's own message. */
export function requireTable(viewer: Reader, table: TableName): void {
  if (table === 'DISPUTES') requireDisputeReach(viewer);
}

/** The defaults of `table` for `role`: version 0, never saved. */
export function defaultTableSettings(table: TableName, role: Role): TableSettingsValue {
  return {
    table,
    columns: [...DEFAULT_COLUMNS[table][role]],
    pageSize: PAGE_SIZE.default,
    disputeOrder: null,
    version: 0,
    updatedAt: null,
  };
}

/**
 * Stored columns as the viewer may see them now: a manager's list loses BUYER when its user
 * became a buyer; a list left empty by that falls back to the defaults.
 */
export function visibleColumns(
  table: TableName,
  role: Role,
  stored: readonly TableColumn[] | null,
): TableColumn[] {
  const kept = (stored ?? []).filter((c) => columnAllowed(table, role, c));
  return kept.length ? kept : [...DEFAULT_COLUMNS[table][role]];
}

/** A save's input, checked in the contract's order of fields; BAD_USER_INPUT names the field. */
export function checkChoice(
  table: TableName,
  role: Role,
  input: {
    columns: readonly TableColumn[];
    pageSize: number;
    disputeOrder?: { field: DisputeOrderField; direction?: OrderDirection | null } | null;
  },
): TableSettingsChoice {
  const { columns, pageSize, disputeOrder } = input;
  if (columns.length < 1 || columns.length > MAX_COLUMNS) {
    throw badInput('columns', `Give 1 to ${MAX_COLUMNS} columns (got ${columns.length}).`);
  }
  const seen = new Set<TableColumn>();
  for (const column of columns) {
    if (seen.has(column)) throw badInput('columns', `${column} is listed twice.`);
    seen.add(column);
    if (!columnAllowed(table, role, column)) {
      throw badInput(
        'columns',
        TABLE_ALLOWS[table].includes(column)
          ? `${column} is for managers only.`
          : `${table} has no ${column} column.`,
      );
    }
  }
  if (!Number.isInteger(pageSize) || pageSize < PAGE_SIZE.min || pageSize > PAGE_SIZE.max) {
    throw badInput('pageSize', `Rows per page are ${PAGE_SIZE.min} to ${PAGE_SIZE.max}.`);
  }
  if (disputeOrder && !ORDERED_TABLES.includes(table)) {
    throw badInput('disputeOrder', `Only DISPUTES keeps an order; ${table} has none.`);
  }
  return {
    columns: [...columns],
    pageSize,
    disputeOrder: disputeOrder
      ? { field: disputeOrder.field, direction: disputeOrder.direction ?? 'ASC' }
      : null,
  };
}
