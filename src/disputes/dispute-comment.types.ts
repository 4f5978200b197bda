import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { DateTimeScalar } from '../platform/scalars';
import { RoleEnum } from '../accounts/account.types';
import type { Role } from '../accounts/permissions';
import {
  COMMENT_VISIBILITIES,
  type CommentVisibility,
  type DisputeCommentEntity,
} from './dispute-comment.entity';

export const CommentVisibilityEnum = graphqlEnum(COMMENT_VISIBILITIES, {
  name: 'CommentVisibility',
  description: 'Who reads a dispute comment.',
  values: {
    SHARED: "Seen by the dispute's buyer account and by managers.",
    INTERNAL: 'Managers only; never shown to a buyer in any field, list, notification or event.',
  },
});

@ObjectType({
  description: "One message of a dispute's conversation between the buyer and the managers.",
})
export class DisputeComment implements Pick<
  DisputeCommentEntity,
  'id' | 'authorRole' | 'body' | 'visibility' | 'createdAt'
> {
  @Field(() => ID, { description: 'The comment ID.' })
  id!: string;
  @Field(() => RoleEnum, { description: "The author's role when writing: BUYER or MANAGER." })
  authorRole!: Role;
  @Field({ description: 'The text, trimmed: 1 to 2,000 characters.' })
  body!: string;
  @Field(() => CommentVisibilityEnum, { description: 'SHARED or INTERNAL (managers only).' })
  visibility!: CommentVisibility;
  @Field(() => DateTimeScalar, { description: 'When it was written.' })
  createdAt!: Date;
}

@InputType({ description: 'A comment on a PENDING dispute.' })
export class AddDisputeCommentInput {
  @Field(() => ID, { description: 'The dispute to comment on.' })
  disputeId!: string;
  @Field({ description: 'The text; trimmed, then 1 to 2,000 characters.' })
  body!: string;
  @Field(() => CommentVisibilityEnum, {
    nullable: true,
    defaultValue: 'SHARED',
    description: 'INTERNAL only for managers.',
  })
  visibility?: CommentVisibility | null;
}
