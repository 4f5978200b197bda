import type { DataSource, EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput } from '../platform/errors';
import { withTransaction } from '../platform/transaction';
import {
  checkChoice,
  mayUseTable,
  requireTable,
  type TableName,
  type TableSettingsValue,
} from './table-settings-rules';
import {
  resetOwnSettings,
  selectOwnSettings,
  settingsOf,
  writeOwnSettings,
} from './table-settings-queries';
import type { SaveTableSettingsInput } from './table-settings.types';

/** Who is told of a save or reset, and which table: what `tableSettingsChanged` routes by. */
export interface TableSettingsChange {
  userId: string;
  table: TableName;
}

export type TableSettingsAnnouncer = (
  em: EntityManager,
  change: TableSettingsChange,
) => Promise<void>;

let announcer: TableSettingsAnnouncer | undefined;

/**
 * Registers what announces a change, in the writing transaction (the live events of
 * notifications/, registered at start by app/registrations.ts, so settings/ imports none of it).
 */
export function registerTableSettingsAnnouncer(announce: TableSettingsAnnouncer): void {
  announcer = announce;
}

async function announce(em: EntityManager, change: TableSettingsChange): Promise<void> {
  if (!announcer)
    throw new Error('Table settings are saved only once their announcer is registered.');
  await announcer(em, change);
}

/** `Viewer.tableSettings(table)`: the stored settings, or the defaults (version 0). */
export async function viewerTableSettings(
  ctx: Context,
  viewer: Viewer,
  table: TableName,
): Promise<TableSettingsValue> {
  requireTable(viewer, table);
  return settingsOf(viewer, table, await selectOwnSettings(ctx.app.ds, viewer, table));
}

/**
 * `saveTableSettings`: permission, then the input, then the version, which the database holds
 * (writeOwnSettings): a stale `expectedVersion` writes nothing and announces nothing.
 */
export async function saveTableSettings(
  ctx: Context,
  viewer: Viewer,
  input: SaveTableSettingsInput,
): Promise<TableSettingsValue> {
  const { table } = input;
  requireTable(viewer, table);
  const choice = checkChoice(table, viewer.role, input);
  const expectedVersion = input.expectedVersion ?? null;
  return withTransaction(ctx.app.ds, async (em) => {
    const row = await writeOwnSettings(em, viewer, table, choice, expectedVersion, ctx.app.now());
    if (!row) {
      throw badInput(
        'expectedVersion',
        `The settings are no longer at version ${expectedVersion}: another save came first. Load them and save again.`,
      );
    }
    await announce(em, { userId: viewer.id, table });
    return settingsOf(viewer, table, row);
  });
}

/** `resetTableSettings`: back to the defaults; the version goes on counting. */
export async function resetTableSettings(
  ctx: Context,
  viewer: Viewer,
  table: TableName,
): Promise<TableSettingsValue> {
  requireTable(viewer, table);
  return withTransaction(ctx.app.ds, async (em) => {
    const row = await resetOwnSettings(em, viewer, table, ctx.app.now());
    await announce(em, { userId: viewer.id, table });
    return settingsOf(viewer, table, row);
  });
}

/**
 * What `tableSettingsChanged` sends a subscriber for a change of its table: the settings as
 * stored now, or null while the subscriber may not use the table (it lost the permission).
 */
export async function settingsForSubscriber(
  ds: DataSource,
  viewer: Viewer,
  table: TableName,
): Promise<TableSettingsValue | null> {
  if (!mayUseTable(viewer, table)) return null;
  return settingsOf(viewer, table, await selectOwnSettings(ds, viewer, table));
}
