import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';
import { OrderDirection } from '../platform/common.types';

export const DisputeStatusEnum = {
  PENDING: 'PENDING',
  ACCEPTED: 'ACCEPTED',
  ACCEPTED_PARTIAL: 'ACCEPTED_PARTIAL',
  REJECTED: 'REJECTED',
} as const;
registerEnumType(DisputeStatusEnum, {
  name: 'DisputeStatus',
  description: 'Where a dispute stands. Every status but PENDING is final.',
  valuesConfig: {
    PENDING: { description: "Waiting for a manager's decision." },
    ACCEPTED: { description: "Accepted: the call's payout dropped to 0.00." },
    ACCEPTED_PARTIAL: {
      description: "Partly accepted: the call's payout dropped by the adjustment.",
    },
    REJECTED: {
      description:
        'Rejected: the payout is unchanged; the call may be disputed again inside its window.',
    },
  },
});

export const DisputeReasonEnum = {
  CALLER_HUNG_UP_IMMEDIATELY: 'CALLER_HUNG_UP_IMMEDIATELY',
  CALL_NOT_CONNECTED: 'CALL_NOT_CONNECTED',
  INVALID_CALLER: 'INVALID_CALLER',
  DUPLICATE_CALL: 'DUPLICATE_CALL',
  DID_NOT_MEET_QUALIFICATION: 'DID_NOT_MEET_QUALIFICATION',
  TECHNICAL_ISSUES: 'TECHNICAL_ISSUES',
  OTHER: 'OTHER',
} as const;
registerEnumType(DisputeReasonEnum, {
  name: 'DisputeReason',
  description: 'Why the buyer thinks the call is invalid.',
  valuesConfig: {
    CALLER_HUNG_UP_IMMEDIATELY: { description: 'The caller hung up at once.' },
    CALL_NOT_CONNECTED: { description: 'The call never connected.' },
    INVALID_CALLER: { description: 'A bot, a prank or a wrong number.' },
    DUPLICATE_CALL: { description: 'The same caller was already paid for.' },
    DID_NOT_MEET_QUALIFICATION: { description: "The caller did not meet the campaign's criteria." },
    TECHNICAL_ISSUES: { description: 'Audio, routing or other technical problems.' },
    OTHER: { description: 'Anything else; explain in additionalInfo.' },
  },
});

export const DisputeEventTypeEnum = { CREATED: 'CREATED', RESOLVED: 'RESOLVED' } as const;
registerEnumType(DisputeEventTypeEnum, {
  name: 'DisputeEventType',
  description: 'What happened to a dispute.',
  valuesConfig: {
    CREATED: { description: 'A buyer user sent the dispute.' },
    RESOLVED: { description: 'A manager decided it.' },
  },
});

export const DisputeOrderFieldEnum = {
  STATUS: 'STATUS',
  CALL_DATE: 'CALL_DATE',
  CREATED_AT: 'CREATED_AT',
  PAYOUT: 'PAYOUT',
} as const;
export type DisputeOrderField = keyof typeof DisputeOrderFieldEnum;
registerEnumType(DisputeOrderFieldEnum, {
  name: 'DisputeOrderField',
  description: 'What the Disputes list is sorted by; ties are broken by newest dispute first.',
  valuesConfig: {
    STATUS: {
      description:
        'PENDING, ACCEPTED, ACCEPTED_PARTIAL, REJECTED (ASC), newest dispute first within a status. The default.',
    },
    CALL_DATE: { description: 'When the disputed call started.' },
    CREATED_AT: { description: 'When the dispute was sent.' },
    PAYOUT: { description: "The disputed call's current payout." },
  },
});

@ObjectType({ description: "A manager's decision on a dispute. Final once made." })
export class DisputeDecision {
  @Field(() => DisputeStatusEnum, { description: 'ACCEPTED, ACCEPTED_PARTIAL or REJECTED.' })
  outcome!: string;
  @Field(() => DateTimeScalar, { description: 'When the decision was made.' })
  decidedAt!: Date;
}

@ObjectType({
  description: "One entry of a dispute's audit trail; entries are never changed or removed.",
})
export class DisputeEvent {
  @Field(() => ID, { description: 'The event ID.' })
  id!: string;
  @Field(() => DisputeEventTypeEnum, { description: 'What happened.' })
  type!: string;
  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  at!: Date;
  @Field(() => DisputeStatusEnum, {
    nullable: true,
    description: 'Status before; null for CREATED.',
  })
  statusBefore!: string | null;
  @Field(() => DisputeStatusEnum, { description: 'Status after.' })
  statusAfter!: string;
}

@ObjectType({ description: "A buyer's claim that a call was invalid, and what became of it." })
export class Dispute {
  @Field(() => ID, { description: 'The dispute ID.' })
  id!: string;
  @Field(() => DisputeStatusEnum, { description: 'Where the dispute stands.' })
  status!: string;
  @Field(() => DisputeReasonEnum, { description: 'Why the buyer disputes the call.' })
  reason!: string;
  @Field(() => String, {
    nullable: true,
    description: "The buyer's note (at most 2,000 characters).",
  })
  additionalInfo!: string | null;
  @Field(() => DateTimeScalar, { description: 'When the dispute was sent.' })
  createdAt!: Date;
}

@InputType({ description: 'Narrows the Disputes list. All given conditions must hold.' })
export class DisputeFilter {
  @Field(() => [DisputeStatusEnum], { nullable: true, description: 'Any of these statuses.' })
  status?: string[];
  @Field(() => [DisputeReasonEnum], { nullable: true, description: 'Any of these reasons.' })
  reason?: string[];
  @Field(() => ID, { nullable: true, description: 'Managers only; ignored for buyers.' })
  buyerId?: string;
  @Field(() => ID, { nullable: true, description: 'Disputes of calls of this campaign.' })
  campaignId?: string;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Calls started at or after this instant.',
  })
  callDateFrom?: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Calls started before this instant.',
  })
  callDateTo?: Date;
  @Field({
    nullable: true,
    description: 'Only disputes whose call has (true) or has no (false) recording.',
  })
  hasRecording?: boolean;
}

@InputType({ description: 'How the Disputes list is sorted.' })
export class DisputeOrder {
  @Field(() => DisputeOrderFieldEnum, { description: 'What to sort by.' })
  field!: DisputeOrderField;
  @Field(() => OrderDirection, {
    nullable: true,
    defaultValue: 'ASC',
    description: 'Which way; ASC by default.',
  })
  direction?: OrderDirection;
}

export const DisputeConnection = connectionTypes('Dispute', Dispute, 'dispute');

@InputType({ description: 'A dispute of one call, sent by a buyer user holding DISPUTE_CALLS.' })
export class CreateDisputeInput {
  @Field(() => ID, { description: 'The call to dispute (see Call.disputability).' })
  callId!: string;
  @Field(() => DisputeReasonEnum, { description: 'Why the call is invalid.' })
  reason!: string;
  @Field(() => String, {
    nullable: true,
    description: 'A note for the manager; trimmed, at most 2,000 characters.',
  })
  additionalInfo?: string | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'Up to 10 evidence files from createEvidenceUpload, uploaded by the same user.',
  })
  evidenceIds?: string[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'Retrying with the same key returns the dispute the first attempt created.',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: "A manager's decision on one PENDING dispute." })
export class ResolveDisputeInput {
  @Field(() => ID, { description: 'The dispute to decide.' })
  disputeId!: string;
  @Field(() => DisputeStatusEnum, { description: 'ACCEPTED, ACCEPTED_PARTIAL or REJECTED.' })
  outcome!: string;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Required for ACCEPTED_PARTIAL, where 0 < amount < the call's payout; must be absent otherwise.",
  })
  adjustmentAmount?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Shown to the buyer; at most 2,000 characters.',
  })
  comment?: string | null;
}

@ObjectType({ description: 'Why one item of a bulk decision failed.' })
export class ResolveDisputeError {
  @Field({ description: 'A contract error code, e.g. DISPUTE_ALREADY_RESOLVED.' })
  code!: string;
  @Field({ description: 'What went wrong, for people.' })
  message!: string;
}

@ObjectType({
  description: 'The outcome of one item of resolveDisputes: the dispute, or an error.',
})
export class ResolveDisputeResult {
  @Field(() => ID, { description: 'The disputeId of the input item.' })
  disputeId!: string;
  @Field(() => Dispute, {
    nullable: true,
    description: 'The decided dispute; null when the item failed.',
  })
  dispute!: unknown;
  @Field(() => ResolveDisputeError, {
    nullable: true,
    description: 'Why the item failed; null when it succeeded.',
  })
  error!: ResolveDisputeError | null;
}
