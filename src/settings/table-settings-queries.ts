import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { ownRowsSql } from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { prepared } from '../platform/prepared-statements';
import type { OrderDirection } from '../platform/common.types';
import type { DisputeOrderField } from '../disputes/dispute.types';
import {
  defaultTableSettings,
  visibleColumns,
  type TableColumn,
  type TableName,
  type TableSettingsChoice,
  type TableSettingsValue,
} from './table-settings-rules';

/**
 * The SQL of table settings. One row per user and table (`table_settings`, primary key
 * `(user_id, table_name)`), read and written only as the viewer's own (visibility.ts's
 * ownRowsSql): no statement here can reach another user's row. A reset keeps the row, with
 * NULL choices and its version, so the version goes on counting.
 */

/** A stored row; NULL choices mean the defaults (a reset). */
export interface TableSettingsRow {
  table_name: TableName;
  columns: TableColumn[] | null;
  page_size: number | null;
  dispute_order_field: DisputeOrderField | null;
  dispute_order_direction: OrderDirection | null;
  version: number;
  updated_at: Date;
}

const RETURNED = `table_name, columns, page_size, dispute_order_field, dispute_order_direction,
  version, updated_at`;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * The viewer's stored row of `table`, if any: a named statement (prepared-statements.ts), as a
 * frontend reads its settings at every start.
 */
export async function selectOwnSettings(
  db: Queryable,
  viewer: Viewer,
  table: TableName,
): Promise<TableSettingsRow | undefined> {
  const params: unknown[] = [];
  const bind = positional(params);
  const rows = (await db.query(
    prepared(`SELECT ${RETURNED} FROM table_settings s
      WHERE ${ownRowsSql(viewer, 's.user_id', bind)} AND s.table_name = ${bind(table)}`),
    params,
  )) as TableSettingsRow[];
  return rows[0];
}

/**
 * Writes the viewer's choice and adds 1 to the version, in one statement, so the database
 * decides between concurrent saves. Without `expectedVersion` the save always lands. With it,
 * the row is written only while its version is still that one (0: no row yet): the first of
 * concurrent saves takes the row, and the others, which wait on its lock or on the key it
 * inserts, then find another version and write nothing. Answers undefined when it did not land.
 */
export async function writeOwnSettings(
  em: EntityManager,
  viewer: Viewer,
  table: TableName,
  choice: TableSettingsChoice,
  expectedVersion: number | null,
  at: Date,
): Promise<TableSettingsRow | undefined> {
  const params: unknown[] = [];
  const bind = positional(params);
  const values = {
    columns: bind(choice.columns),
    pageSize: bind(choice.pageSize),
    field: bind(choice.disputeOrder?.field ?? null),
    direction: bind(choice.disputeOrder?.direction ?? null),
    at: bind(at),
  };
  if (expectedVersion !== null && expectedVersion !== 0) {
    // Any other version exists only as a row: update it, or nothing.
    const [rows] = (await em.query(
      `UPDATE table_settings s
          SET columns = ${values.columns}::text[], page_size = ${values.pageSize},
              dispute_order_field = ${values.field}, dispute_order_direction = ${values.direction},
              version = s.version + 1, updated_at = ${values.at}
        WHERE ${ownRowsSql(viewer, 's.user_id', bind)} AND s.table_name = ${bind(table)}
          AND s.version = ${bind(expectedVersion)}
        RETURNING ${RETURNED}`,
      params,
    )) as [TableSettingsRow[], number];
    return rows[0];
  }
  const rows = (await em.query(
    `INSERT INTO table_settings AS s (user_id, table_name, columns, page_size,
       dispute_order_field, dispute_order_direction, version, updated_at)
     VALUES (${bind(viewer.id)}, ${bind(table)}, ${values.columns}::text[], ${values.pageSize},
       ${values.field}, ${values.direction}, 1, ${values.at})
     ON CONFLICT (user_id, table_name) DO UPDATE
       SET columns = EXCLUDED.columns, page_size = EXCLUDED.page_size,
           dispute_order_field = EXCLUDED.dispute_order_field,
           dispute_order_direction = EXCLUDED.dispute_order_direction,
           version = s.version + 1, updated_at = EXCLUDED.updated_at
       WHERE ${ownRowsSql(viewer, 's.user_id', bind)}${
         // Expecting 0 only the first save lands: a stored row's version is 1 or more.
         expectedVersion === null ? '' : ` AND s.version = ${bind(expectedVersion)}`
       }
     RETURNING ${RETURNED}`,
    params,
  )) as TableSettingsRow[];
  return rows[0];
}

/** Back to the defaults (NULL choices), adding 1 to the version; creates the row if none. */
export async function resetOwnSettings(
  em: EntityManager,
  viewer: Viewer,
  table: TableName,
  at: Date,
): Promise<TableSettingsRow> {
  const params: unknown[] = [];
  const bind = positional(params);
  const rows = (await em.query(
    `INSERT INTO table_settings AS s (user_id, table_name, columns, page_size,
       dispute_order_field, dispute_order_direction, version, updated_at)
     VALUES (${bind(viewer.id)}, ${bind(table)}, NULL, NULL, NULL, NULL, 1, ${bind(at)})
     ON CONFLICT (user_id, table_name) DO UPDATE
       SET columns = NULL, page_size = NULL, dispute_order_field = NULL,
           dispute_order_direction = NULL, version = s.version + 1,
           updated_at = EXCLUDED.updated_at
       WHERE ${ownRowsSql(viewer, 's.user_id', bind)}
     RETURNING ${RETURNED}`,
    params,
  )) as TableSettingsRow[];
  return rows[0]!;
}

/** What TableSettings answers for the viewer: the row's choices, the defaults where it has none. */
export function settingsOf(
  viewer: Pick<Viewer, 'role'>,
  table: TableName,
  row: TableSettingsRow | undefined,
): TableSettingsValue {
  const defaults = defaultTableSettings(table, viewer.role);
  if (!row) return defaults;
  const reset = row.columns === null;
  return {
    table,
    columns: reset ? defaults.columns : visibleColumns(table, viewer.role, row.columns),
    pageSize: row.page_size ?? defaults.pageSize,
    disputeOrder:
      row.dispute_order_field && row.dispute_order_direction
        ? { field: row.dispute_order_field, direction: row.dispute_order_direction }
        : null,
    version: row.version,
    updatedAt: row.updated_at,
  };
}
