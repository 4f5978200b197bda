import { Field, ID, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { PERMISSIONS, ROLES, type Role } from '../auth/permissions';
import type { Viewer } from '../auth/viewer';
import type { AccountEntity } from './account.entity';
import type { UserEntity } from './user.entity';

export const RoleEnum = graphqlEnum(ROLES, {
  name: 'Role',
  description: 'What kind of user this is.',
  values: {
    BUYER: 'A user of a buyer account: sees its own Call Log and disputes.',
    MANAGER: 'A platform manager: reviews disputes of every buyer.',
  },
});

export const PermissionEnum = graphqlEnum(PERMISSIONS, {
  name: 'Permission',
  description: 'What a user may do beyond reading its own Call Log.',
  values: {
    DISPUTE_CALLS: 'Buyer users: may dispute calls and open the Disputes page.',
    VIEW_DISPUTES: 'Managers: may open Manage Disputes and read every dispute.',
    EDIT_DISPUTES: 'Managers: may accept, partially accept or reject. Requires VIEW_DISPUTES.',
  },
});

@ObjectType({ description: 'A buyer account: the company that buys calls and disputes them.' })
export class Account implements Pick<AccountEntity, 'id' | 'name' | 'autoAcceptDuplicates'> {
  @Field(() => ID, { description: 'The account ID.' })
  id!: string;
  @Field({ description: 'The account name, e.g. "Acme Insurance".' })
  name!: string;
  @Field({
    description:
      'When true, a DUPLICATE_CALL dispute of a call whose duplicateOf is set is accepted at once by the system user "Automatic review".',
  })
  autoAcceptDuplicates!: boolean;
}

@ObjectType({ description: 'A person using the platform, as others see them.' })
export class User implements Pick<UserEntity, 'id' | 'name'> {
  @Field(() => ID, { description: 'The user ID.' })
  id!: string;
  @Field({ description: 'Display name.' })
  name!: string;
}

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
