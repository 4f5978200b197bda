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
  Args,
} from 'type-graphql';
import type { Context } from '../platform/context';
import { PageArgs, toConnection } from '../platform/pagination';
import { requireViewer, type Viewer } from '../auth/viewer';
import { ViewerType } from '../auth/viewer.types';
import { Dispute } from '../disputes/dispute.types';
import type { DisputeEntity } from '../disputes/dispute.entity';
import type { NotificationEntity } from './notification.entity';
import { TableSettings } from '../settings/table-settings.types';
import type { TableSettingsValue } from '../settings/table-settings-rules';
import { Notification, NotificationConnection } from './notification.types';
import {
  countUnreadNotifications,
  listNotifications,
  markNotificationsRead,
} from './notification.service';

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, { description: "The viewer's notifications, newest first." })
  async notifications(
    @Ctx() ctx: Context,
    @Arg('unreadOnly', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Only those not yet read.',
    })
    unreadOnly = false,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ) {
    return toConnection(
      await listNotifications(ctx, requireViewer(ctx.viewer), { unreadOnly, first, after }),
    );
  }

  @Authorized()
  @Mutation(() => Int, {
    description:
      "Marks the viewer's notifications read (the given ones, or all); returns how many changed.",
  })
  markNotificationsRead(
    @Ctx() ctx: Context,
    @Arg('ids', () => [ID], {
      nullable: true,
      description: "Notifications to mark; others' IDs are ignored.",
    })
    ids?: string[] | null,
    @Arg('all', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Mark every unread notification of the viewer.',
    })
    all = false,
  ): Promise<number> {
    return markNotificationsRead(ctx, requireViewer(ctx.viewer), { ids, all });
  }

  @FieldResolver(() => Dispute, { description: 'The dispute the notification is about.' })
  async dispute(@Root() n: NotificationEntity, @Ctx() ctx: Context): Promise<DisputeEntity> {
    // The notification scope only shows notifications whose dispute the addressee may see.
    const dispute = await ctx.loaders.dispute.load(n.disputeId);
    if (!dispute) throw new Error(`notification ${n.id} names a missing dispute`);
    return dispute;
  }
}

/**
 * Subscriptions read from the process-wide LiveHub (src/notifications/live-hub.ts), which
 * routes committed events from every instance and re-checks the viewer for each one.
 */
@Resolver()
export class LiveResolver {
  @Authorized()
  @Subscription(() => Int, {
    description:
      "The viewer's pendingDisputesCount: the current value at once on subscribe, then every change.",
    subscribe: ({ context }) =>
      (context as Context).app.live.pendingDisputesCount(context as Context),
  })
  pendingDisputesCount(@Root() count: number): number {
    return count;
  }

  @Authorized()
  @Subscription(() => Notification, {
    description: 'Each notification addressed to the viewer, as it is created.',
    subscribe: ({ context }) => (context as Context).app.live.notificationAdded(context as Context),
  })
  notificationAdded(@Root() notification: NotificationEntity): NotificationEntity {
    return notification;
  }

  @Authorized()
  @Subscription(() => Dispute, {
    description: 'Each dispute the viewer may see, when it is created, decided or withdrawn.',
    subscribe: ({ context }) => (context as Context).app.live.disputeChanged(context as Context),
  })
  disputeChanged(@Root() dispute: DisputeEntity): DisputeEntity {
    return dispute;
  }

  @Authorized()
  @Subscription(() => TableSettings, {
    description:
      "The viewer's own table settings, each time any of the viewer's sessions saves or resets them.",
    subscribe: ({ context }) =>
      (context as Context).app.live.tableSettingsChanged(context as Context),
  })
  tableSettingsChanged(@Root() settings: TableSettingsValue): TableSettingsValue {
    return settings;
  }
}

/** The viewer's unread badge: counted here, where notifications are read. */
@Resolver(() => ViewerType)
export class ViewerNotificationsResolver {
  @FieldResolver()
  unreadNotificationsCount(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<number> {
    return countUnreadNotifications(ctx, viewer);
  }
}
