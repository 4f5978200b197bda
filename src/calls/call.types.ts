import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import {
  CALL_STATUSES,
  HANGUP_SIDES,
  CallEntity,
  type CallStatus,
  type HangupSide,
} from './call.entity';
import { CampaignEntity } from './campaign.entity';
import { bindRows } from '../platform/field-reads';
import { DateTimeScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';

export const CallStatusEnum = graphqlEnum(CALL_STATUSES, {
  name: 'CallStatus',
  description: 'Where a call ended up. Only calls with a conversion are paid, and so disputable.',
  values: {
    IN_PROGRESS: 'The call is still going on.',
    COMPLETED_WITH_CONVERSION: 'Connected and converted: paid, disputable.',
    COMPLETED_NO_CONVERSION: 'Connected, no conversion: not paid.',
    CALL_NOT_CONNECTED_WITH_CONVERSION:
      'Counted as a conversion without connecting: paid, disputable.',
    CALL_NOT_CONNECTED_NO_CONVERSION: 'Not connected, no conversion: not paid.',
  },
});

export const HangupSideEnum = graphqlEnum(HANGUP_SIDES, {
  name: 'HangupSide',
  description: 'Who ended the call.',
  values: {
    CALLER: 'The person who called.',
    TARGET: "The buyer's side that answered.",
    SYSTEM: 'The platform (timeout, routing failure, ...).',
  },
});

@ObjectType({ description: 'How a call ended.' })
export class Hangup {
  @Field(() => HangupSideEnum, { description: 'Who hung up.' })
  by!: HangupSide;
  @Field(() => String, {
    nullable: true,
    description: "The carrier's or platform's cause, when known.",
  })
  cause!: string | null;
}

/** The audio recording of a call; its `url` is a field resolver (call.resolver.ts), signed when asked for. */
@ObjectType({ description: 'The audio recording of a call.' })
export class Recording {
  @Field({ description: 'MIME type of the audio, e.g. audio/mpeg.' })
  contentType!: string;
  @Field(() => Int, { nullable: true, description: 'Length in seconds, when known.' })
  durationSeconds!: number | null;
}

@ObjectType({ description: 'A campaign that calls are bought through.' })
export class Campaign implements Pick<CampaignEntity, 'id' | 'name'> {
  @Field(() => ID, { description: 'The campaign ID.' })
  id!: string;
  @Field({ description: 'The campaign name.' })
  name!: string;
}
bindRows('Campaign', CampaignEntity);

@ObjectType({ description: 'A phone call bought by a buyer account: one row of the Call Log.' })
export class Call implements Pick<
  CallEntity,
  'id' | 'startedAt' | 'callerId' | 'destination' | 'durationSeconds' | 'status'
> {
  @Field(() => ID, { description: 'The call ID.' })
  id!: string;
  @Field(() => DateTimeScalar, { description: 'When the call started.' })
  startedAt!: Date;
  @Field({ description: "The caller's phone number (E.164), e.g. +15551230001." })
  callerId!: string;
  @Field({ description: 'The number that was called (E.164).' })
  destination!: string;
  @Field(() => Int, { description: 'How long the call lasted, in seconds.' })
  durationSeconds!: number;
  @Field(() => CallStatusEnum, { description: 'Where the call ended up.' })
  status!: CallStatus;
}
bindRows('Call', CallEntity);

@InputType({ description: 'Narrows the Call Log. All given conditions must hold.' })
export class CallFilter {
  @Field(() => [CallStatusEnum], { nullable: true, description: 'Any of these statuses.' })
  status?: CallStatus[];
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Calls started at or after this instant.',
  })
  startedFrom?: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Calls started before this instant.',
  })
  startedTo?: Date;
  @Field(() => ID, { nullable: true, description: 'Calls of this campaign.' })
  campaignId?: string;
  @Field(() => ID, { nullable: true, description: 'Managers only; ignored for buyers.' })
  buyerId?: string;
  @Field({ nullable: true, description: 'Only calls whose Dispute Call action is allowed now.' })
  disputable?: boolean;
}

export const CallConnection = connectionTypes('Call', Call, 'call');
