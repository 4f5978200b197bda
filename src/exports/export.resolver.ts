import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { Context } from '../platform/context';
import { notFound } from '../platform/errors';
import { toConnection } from '../platform/pagination';
import { requireViewer } from '../auth/viewer';
import {
  CallExportInput,
  DisputeExportInput,
  Export,
  ExportConnection,
  type ExportRow,
} from './export.types';
import {
  exportUrl,
  findOwnExport,
  listOwnExports,
  startCallExport,
  startDisputeExport,
} from './export.service';
import { followExport } from './export-progress';

@Resolver(() => Export)
export class ExportResolver {
  @Authorized()
  @Query(() => Export, {
    nullable: true,
    description: "One of the viewer's own exports; null for anyone else's or an unknown ID.",
  })
  export(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The export.' }) id: string,
  ): Promise<ExportRow | null> {
    return findOwnExport(ctx, requireViewer(ctx.viewer), id);
  }

  @Authorized()
  @Query(() => ExportConnection, { description: "The viewer's exports, newest first." })
  async exports(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: 20,
      description: 'Page size, 1 to 100.',
    })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The endCursor of the previous page.',
    })
    after?: string | null,
  ) {
    return toConnection(await listOwnExports(ctx, requireViewer(ctx.viewer), { first, after }));
  }

  @Authorized('DISPUTE_CALLS', 'VIEW_DISPUTES')
  @Mutation(() => Export, {
    description:
      'Starts a CSV export of exactly the disputes the Disputes page lists for this filter, search and order.',
  })
  exportDisputes(
    @Ctx() ctx: Context,
    @Arg('input', () => DisputeExportInput, { description: 'What to list, and the columns.' })
    input: DisputeExportInput,
  ): Promise<ExportRow> {
    return startDisputeExport(ctx, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => Export, {
    description: 'Starts a CSV export of exactly the calls the Call Log lists for this filter.',
  })
  exportCalls(
    @Ctx() ctx: Context,
    @Arg('input', () => CallExportInput, { description: 'What to list, and the columns.' })
    input: CallExportInput,
  ): Promise<ExportRow> {
    return startCallExport(ctx, requireViewer(ctx.viewer), input);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'While DONE: a signed download URL, valid at most 15 minutes, issued afresh on every read; null otherwise.',
  })
  url(@Root() row: ExportRow, @Ctx() ctx: Context): Promise<string | null> {
    return exportUrl(ctx, row);
  }
}

/** exportProgress: the export's row, followed until it finishes. */
@Resolver()
export class ExportProgressResolver {
  @Authorized()
  @Subscription(() => Export, {
    description:
      "One of the viewer's exports: its current state at once, then progress at least every 5,000 rows or 2 seconds, then DONE or FAILED, then the subscription completes.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const id = (args as { id: string }).id;
      const first = await findOwnExport(ctx, requireViewer(ctx.viewer), id);
      if (!first) throw notFound('export', id);
      return followExport(ctx, first);
    },
  })
  exportProgress(
    @Root() row: ExportRow,
    @Arg('id', () => ID, { description: "One of the viewer's exports." }) _id: string,
  ): ExportRow {
    return row;
  }
}
