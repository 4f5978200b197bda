import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Account, PermissionEnum } from '../accounts/account.types';
import { ViewerType } from './viewer.types';
import type { Context } from '../platform/context';
import { requireViewer, type Viewer } from './viewer';
import { PERMISSIONS } from '../accounts/permissions';
import { MaxItems } from '../platform/list-size';

/**
 * The signed-in user: who it is and what it may do. Its badges are resolved by the features that own
 * what they count (disputes/viewer-disputes.resolver.ts, notifications/notification.resolver.ts).
 */
@Resolver(() => ViewerType)
export class ViewerResolver {
  @Authorized()
  @Query(() => ViewerType, {
    description: 'The signed-in user: who they are, what they may do, their badges.',
  })
  viewer(@Ctx() ctx: Context): Viewer {
    return requireViewer(ctx.viewer);
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description: 'The buyer account of a BUYER; null for a MANAGER.',
  })
  account(@Root() viewer: Viewer, @Ctx() ctx: Context) {
    return viewer.accountId ? ctx.loaders.account.load(viewer.accountId) : null;
  }

  @MaxItems(PERMISSIONS.length)
  @FieldResolver(() => [PermissionEnum], {
    description: `What the viewer may do now, read from the database on every request; at most ${PERMISSIONS.length}.`,
  })
  permissions(@Root() viewer: Viewer): string[] {
    return PERMISSIONS.filter((p) => viewer.permissions.has(p));
  }
}
