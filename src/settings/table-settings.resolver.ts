import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../platform/context';
import { requireViewer, type Viewer } from '../auth/viewer';
import { ViewerType } from '../auth/viewer.types';
import type { TableName, TableSettingsValue } from './table-settings-rules';
import { SaveTableSettingsInput, TableNameEnum, TableSettings } from './table-settings.types';
import {
  resetTableSettings,
  saveTableSettings,
  viewerTableSettings,
} from './table-settings.service';

/** The viewer's table settings: read here, where they are kept. */
@Resolver(() => ViewerType)
export class ViewerTableSettingsResolver {
  @FieldResolver(() => TableSettings, {
    description:
      "The viewer's settings for the table, or the defaults (version 0) while none are saved.",
  })
  tableSettings(
    @Root() viewer: Viewer,
    @Ctx() ctx: Context,
    @Arg('table', () => TableNameEnum, { description: 'The table to read the settings of.' })
    table: TableName,
  ): Promise<TableSettingsValue> {
    return viewerTableSettings(ctx, viewer, table);
  }
}

/** Saving and resetting; `tableSettingsChanged` is routed by the live hub (notifications/). */
@Resolver(() => TableSettings)
export class TableSettingsResolver {
  @Authorized()
  @Mutation(() => TableSettings, { description: "Saves the viewer's settings for a table." })
  saveTableSettings(
    @Ctx() ctx: Context,
    @Arg('input', () => SaveTableSettingsInput, {
      description: 'The table, its columns, rows per page and (DISPUTES only) order.',
    })
    input: SaveTableSettingsInput,
  ): Promise<TableSettingsValue> {
    return saveTableSettings(ctx, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => TableSettings, {
    description: 'Back to the defaults; version goes on counting.',
  })
  resetTableSettings(
    @Ctx() ctx: Context,
    @Arg('table', () => TableNameEnum, { description: 'The table to reset.' }) table: TableName,
  ): Promise<TableSettingsValue> {
    return resetTableSettings(ctx, requireViewer(ctx.viewer), table);
  }
}
