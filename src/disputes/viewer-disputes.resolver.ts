import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ViewerType } from '../auth/viewer.types';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { countPendingDisputes } from './dispute-queries';

/** The viewer's dispute badges: counted here, where disputes are read. */
@Resolver(() => ViewerType)
export class ViewerDisputesResolver {
  @FieldResolver()
  pendingDisputesCount(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<number> {
    return countPendingDisputes(ctx, viewer);
  }

  @FieldResolver()
  overdueDisputesCount(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<number> {
    return countPendingDisputes(ctx, viewer, { overdue: true });
  }
}
