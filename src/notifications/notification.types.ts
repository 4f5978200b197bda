import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';

export const NotificationKindEnum = {
  DISPUTE_CREATED: 'DISPUTE_CREATED',
  DISPUTE_RESOLVED: 'DISPUTE_RESOLVED',
} as const;
registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  description: 'What a notification is about.',
  valuesConfig: {
    DISPUTE_CREATED: { description: 'To managers: a buyer sent a dispute.' },
    DISPUTE_RESOLVED: { description: "To the buyer account's users: a manager decided a dispute." },
  },
});

@ObjectType({ description: 'An in-app notification addressed to the viewer.' })
export class Notification {
  @Field(() => ID, { description: 'The notification ID.' })
  id!: string;
  @Field(() => NotificationKindEnum, { description: 'What it is about.' })
  kind!: string;
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
