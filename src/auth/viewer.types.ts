import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Role } from '../accounts/permissions';
import { RoleEnum } from '../accounts/account.types';
import type { Viewer } from './viewer';

@ObjectType('Viewer', {
  description: 'The signed-in user, with what they may do and their badge counters.',
})
export class ViewerType implements Pick<Viewer, 'id' | 'name' | 'role'> {
  @Field(() => ID, { description: 'The user ID (the `sub` of the token).' })
  id!: string;
  @Field({ description: 'Display name.' })
  name!: string;
  @Field(() => RoleEnum, { description: 'BUYER or MANAGER.' })
  role!: Role;
  @Field(() => Int, {
    description:
      "Buyer: pending disputes of the viewer's account. Manager: all pending disputes. 0 hides the badge.",
  })
  pendingDisputesCount!: number;
  @Field(() => Int, {
    description: 'PENDING disputes past their reviewDueAt, counted like pendingDisputesCount.',
  })
  overdueDisputesCount!: number;
  @Field(() => Int, { description: 'Notifications addressed to the viewer and not yet read.' })
  unreadNotificationsCount!: number;
}
