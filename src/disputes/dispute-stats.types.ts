import { Field, Float, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { Money, type MoneyValue } from '../platform/common.types';
import { MaxItems } from '../platform/list-size';
import {
  DISPUTE_STATS_GROUPS,
  MAX_STATS_CURRENCIES,
  type DisputeStatsRowValue,
} from './dispute-stats';

export const DisputeStatsGroupEnum = graphqlEnum(DISPUTE_STATS_GROUPS, {
  name: 'DisputeStatsGroup',
  description: 'What disputeStats groups the calls by.',
  values: {
    CAMPAIGN: "The call's campaign; key is the campaign ID, label its name.",
    BUYER: "The call's buyer account; key is the account ID, label its name.",
    REASON:
      'The reason of the latest dispute of each disputed call; key and label are the enum name.',
    DAY: "UTC calendar day of the call's startedAt, key YYYY-MM-DD.",
  },
});

@ObjectType({
  description:
    'One group of calls started in [from, to). Outcomes count each disputed call once, by its latest dispute.',
})
export class DisputeStatsRow implements DisputeStatsRowValue {
  @Field({ description: 'The campaign or account ID, the reason, or the day.' })
  key!: string;
  @Field({ description: 'Campaign name, account name; for REASON and DAY the same as key.' })
  label!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Calls in the group; null for REASON, where calls have no reason.',
  })
  calls!: number | null;
  @Field(() => Int, { description: 'Calls in the group with at least one dispute.' })
  disputedCalls!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'disputedCalls / calls; null for REASON or when calls is 0.',
  })
  disputeRate!: number | null;
  @Field(() => Int, { description: 'Disputed calls whose latest dispute is PENDING.' })
  pending!: number;
  @Field(() => Int, { description: 'Disputed calls whose latest dispute is ACCEPTED.' })
  accepted!: number;
  @Field(() => Int, { description: 'Disputed calls whose latest dispute is ACCEPTED_PARTIAL.' })
  acceptedPartial!: number;
  @Field(() => Int, { description: 'Disputed calls whose latest dispute is REJECTED.' })
  rejected!: number;
  @Field(() => Int, { description: 'Disputed calls whose latest dispute is WITHDRAWN.' })
  withdrawn!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      '(accepted + acceptedPartial) / (accepted + acceptedPartial + rejected); null when that sum is 0.',
  })
  acceptanceRate!: number | null;
  @MaxItems(MAX_STATS_CURRENCIES)
  @Field(() => [Money], {
    description: `Sum of originalPayout - payout over the group's calls: one entry per currency among them (0.00 included), ordered by currency code; at most ${MAX_STATS_CURRENCIES}.`,
  })
  credited!: MoneyValue[];
}
