import { Field, ID, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { PERMISSIONS, ROLES } from './permissions';
import { AccountEntity } from './account.entity';
import { bindRows } from '../platform/field-reads';
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
bindRows('Account', AccountEntity);

@ObjectType({ description: 'A person using the platform, as others see them.' })
export class User implements Pick<UserEntity, 'id' | 'name'> {
  @Field(() => ID, { description: 'The user ID.' })
  id!: string;
  @Field({ description: 'Display name.' })
  name!: string;
}
