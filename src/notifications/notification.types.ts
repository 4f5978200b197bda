import { Field, ID, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import {
  NOTIFICATION_KINDS,
  type NotificationEntity,
  type NotificationKind,
} from './notification.entity';
import { DateTimeScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';

export const NotificationKindEnum = graphqlEnum(NOTIFICATION_KINDS, {
  name: 'NotificationKind',
  description: 'What a notification is about.',
  values: {
    DISPUTE_CREATED: 'To managers: a buyer sent a dispute.',
    DISPUTE_RESOLVED: "To the buyer account's users: a manager decided a dispute.",
    DISPUTE_WITHDRAWN: 'To managers: a buyer withdrew a dispute.',
    DISPUTE_COMMENTED:
      "A SHARED comment: from a buyer user to managers; from a manager to the buyer account's users.",
    DISPUTE_REOPENED:
      "To the account's users with DISPUTE_CALLS: a manager reopened a decided dispute.",
  },
});

@ObjectType({ description: 'An in-app notification addressed to the viewer.' })
export class Notification implements Pick<
  NotificationEntity,
  'id' | 'kind' | 'createdAt' | 'readAt' | 'message'
> {
  @Field(() => ID, { description: 'The notification ID.' })
  id!: string;
  @Field(() => NotificationKindEnum, { description: 'What it is about.' })
  kind!: NotificationKind;
  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the viewer marked it read; null while unread.',
  })
  readAt!: Date | null;
  @Field({
    description: 'A sentence to show, e.g. "Acme Insurance disputed a call from +15551230001".',
  })
  message!: string;
}

export const NotificationConnection = connectionTypes('Notification', Notification, 'notification');
