import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../platform/context';
import { notImplemented } from '../platform/not-implemented';
import { Dispute } from '../disputes/dispute.types';
import type { NotificationEntity } from './notification.entity';
import { Notification, NotificationConnection } from './notification.types';

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, { description: 'The viewer\'s notifications, newest first.' })
  notifications(
    @Ctx() _ctx: Context,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false, description: 'Only those not yet read.' }) _unreadOnly = false,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1 to 100.' }) _first = 50,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' })
    _after?: string | null,
  ): never {
    return notImplemented('notifications');
  }

  @Authorized()
  @Mutation(() => Int, {
    description: 'Marks the viewer\'s notifications read (the given ones, or all); returns how many changed.',
  })
  markNotificationsRead(
    @Ctx() _ctx: Context,
    @Arg('ids', () => [ID], { nullable: true, description: 'Notifications to mark; others\' IDs are ignored.' })
    _ids?: string[] | null,
    @Arg('all', () => Boolean, { nullable: true, defaultValue: false, description: 'Mark every unread notification of the viewer.' })
    _all = false,
  ): never {
    return notImplemented('markNotificationsRead');
  }

  @FieldResolver(() => Dispute, { description: 'The dispute the notification is about.' })
  dispute(@Root() n: NotificationEntity, @Ctx() ctx: Context) {
    return ctx.app.ds.getRepository('DisputeEntity').findOneBy({ id: n.disputeId });
  }
}

export class LiveResolver {
  @Subscription(() => Int, {
    description: 'The viewer\'s pendingDisputesCount: the current value at once on subscribe, then every change.',
    subscribe: () => notImplemented('pendingDisputesCount'),
  })
  pendingDisputesCount(): number {
    return notImplemented('pendingDisputesCount');
  }

  @Subscription(() => Notification, {
    description: 'Each notification addressed to the viewer, as it is created.',
    subscribe: () => notImplemented('notificationAdded'),
  })
  notificationAdded(): never {
    return notImplemented('notificationAdded');
  }

  @Subscription(() => Dispute, {
    description: 'Each dispute the viewer may see, when it is created or resolved.',
    subscribe: () => notImplemented('disputeChanged'),
  })
  disputeChanged(): never {
    return notImplemented('disputeChanged');
  }
}
