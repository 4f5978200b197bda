import { Field, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { DateTimeScalar } from '../platform/scalars';
import {
  DISPUTE_BLOCKS,
  type Disputability as DisputabilityValue,
  type DisputeBlock,
} from './dispute-rules';

export const DisputeBlockEnum = graphqlEnum(DISPUTE_BLOCKS, {
  name: 'DisputeBlock',
  description: 'Why the Dispute Call action is not offered for a call.',
  values: {
    NO_PERMISSION: 'The viewer does not hold DISPUTE_CALLS (managers never do).',
    STATUS_NOT_DISPUTABLE:
      'Only COMPLETED_WITH_CONVERSION and CALL_NOT_CONNECTED_WITH_CONVERSION calls can be disputed.',
    WINDOW_EXPIRED: 'The Dispute Window (Hold Period) of the call has ended.',
    DISPUTE_PENDING: 'A dispute of this call is waiting for a decision.',
    ALREADY_ADJUSTED: 'A dispute of this call was accepted; it cannot be disputed again.',
  },
});

@ObjectType({ description: 'Whether the viewer may dispute a call now, and if not, why not.' })
export class Disputability implements DisputabilityValue {
  @Field({ description: 'True exactly when createDispute on this call would succeed now.' })
  allowed!: boolean;
  @Field(() => DisputeBlockEnum, {
    nullable: true,
    description:
      'Null exactly when allowed is true. When several apply, the first in DisputeBlock order.',
  })
  blockedBy!: DisputeBlock | null;
  @Field(() => DateTimeScalar, {
    description: 'End of the Dispute Window (Hold Period) of this call.',
  })
  windowEndsAt!: Date;
}
