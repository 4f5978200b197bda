import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { bindRows } from '../platform/field-reads';
import {
  DISPUTE_REASONS,
  DISPUTE_STATUSES,
  DisputeEntity,
  type DisputeReason,
  type DisputeStatus,
} from './dispute.entity';
import {
  DISPUTE_EVENT_TYPES,
  type DisputeEventEntity,
  type DisputeEventType,
} from './dispute-event.entity';
import { DateTimeScalar, DecimalScalar } from '../platform/scalars';
import { connectionTypes } from '../platform/pagination';
import { OrderDirection } from '../platform/common.types';

export const DisputeStatusEnum = graphqlEnum(DISPUTE_STATUSES, {
  name: 'DisputeStatus',
  description:
    'Where a dispute stands. WITHDRAWN is final; a decision stands unless a manager reopens it (reopenDispute).',
  values: {
    PENDING: "Waiting for a manager's decision.",
    ACCEPTED: "Accepted: the call's payout dropped to 0.00.",
    ACCEPTED_PARTIAL: "Partly accepted: the call's payout dropped by the adjustment.",
    REJECTED:
      'Rejected: the payout is unchanged; the call may be disputed again inside its window.',
    WITHDRAWN:
      'Taken back by the buyer before a decision; like REJECTED, it does not block a new dispute. Sorts after REJECTED.',
  },
});

export const DisputeReasonEnum = graphqlEnum(DISPUTE_REASONS, {
  name: 'DisputeReason',
  description: 'Why the buyer thinks the call is invalid.',
  values: {
    CALLER_HUNG_UP_IMMEDIATELY: 'The caller hung up at once.',
    CALL_NOT_CONNECTED: 'The call never connected.',
    INVALID_CALLER: 'A bot, a prank or a wrong number.',
    DUPLICATE_CALL: 'The same caller was already paid for.',
    DID_NOT_MEET_QUALIFICATION: "The caller did not meet the campaign's criteria.",
    TECHNICAL_ISSUES: 'Audio, routing or other technical problems.',
    OTHER: 'Anything else; explain in additionalInfo.',
  },
});

export const DisputeEventTypeEnum = graphqlEnum(DISPUTE_EVENT_TYPES, {
  name: 'DisputeEventType',
  description: 'What happened to a dispute.',
  values: {
    CREATED: 'A buyer user sent the dispute.',
    RESOLVED: 'A manager decided it, or the system user "Automatic review" did (rule 15).',
    WITHDRAWN: 'A buyer user withdrew it.',
    REOPENED:
      'A manager with EDIT_DISPUTES took the decision back (reopenDispute): PENDING again, the payout as before the decision; `note` holds the reason.',
  },
});

export const DISPUTE_ORDER_FIELDS = [
  'STATUS',
  'CALL_DATE',
  'CREATED_AT',
  'PAYOUT',
  'REVIEW_DUE_AT',
] as const;
export type DisputeOrderField = (typeof DISPUTE_ORDER_FIELDS)[number];
export const DisputeOrderFieldEnum = graphqlEnum(DISPUTE_ORDER_FIELDS, {
  name: 'DisputeOrderField',
  description: 'What the Disputes list is sorted by; ties are broken by newest dispute first.',
  values: {
    STATUS:
      'PENDING, ACCEPTED, ACCEPTED_PARTIAL, REJECTED, WITHDRAWN (ASC), newest dispute first within a status. The default.',
    CALL_DATE: 'When the disputed call started.',
    CREATED_AT: 'When the dispute was sent.',
    PAYOUT: "The disputed call's current payout.",
    REVIEW_DUE_AT: 'When a manager should have decided (reviewDueAt); ties by dispute ID.',
  },
});

@ObjectType({
  description:
    "A manager's decision on a dispute, or an automatic one (rule 15). It stands unless a manager reopens the dispute (reopenDispute).",
})
export class DisputeDecision implements Pick<DisputeEntity, 'decidedAt'> {
  @Field(() => DisputeStatusEnum, { description: 'ACCEPTED, ACCEPTED_PARTIAL or REJECTED.' })
  outcome!: DisputeStatus;
  @Field(() => DateTimeScalar, { description: 'When the decision was made.' })
  decidedAt!: Date;
}

@ObjectType({
  description: "One entry of a dispute's audit trail; entries are never changed or removed.",
})
export class DisputeEvent implements Pick<
  DisputeEventEntity,
  'id' | 'type' | 'at' | 'statusBefore' | 'statusAfter' | 'note'
> {
  @Field(() => ID, { description: 'The event ID.' })
  id!: string;
  @Field(() => DisputeEventTypeEnum, { description: 'What happened.' })
  type!: DisputeEventType;
  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  at!: Date;
  @Field(() => DisputeStatusEnum, {
    nullable: true,
    description: 'Status before; null for CREATED.',
  })
  statusBefore!: DisputeStatus | null;
  @Field(() => DisputeStatusEnum, { description: 'Status after.' })
  statusAfter!: DisputeStatus;
  @Field(() => String, {
    nullable: true,
    description: "The manager's reason for a REOPENED event; null for every other type.",
  })
  note!: string | null;
}

@ObjectType({ description: "A buyer's claim that a call was invalid, and what became of it." })
export class Dispute implements Pick<
  DisputeEntity,
  'id' | 'status' | 'reason' | 'additionalInfo' | 'createdAt' | 'reviewDueAt'
> {
  @Field(() => ID, { description: 'The dispute ID.' })
  id!: string;
  @Field(() => DisputeStatusEnum, { description: 'Where the dispute stands.' })
  status!: DisputeStatus;
  @Field(() => DisputeReasonEnum, { description: 'Why the buyer disputes the call.' })
  reason!: DisputeReason;
  @Field(() => String, {
    nullable: true,
    description: "The buyer's note (at most 2,000 characters).",
  })
  additionalInfo!: string | null;
  @Field(() => DateTimeScalar, { description: 'When the dispute was sent.' })
  createdAt!: Date;
  @Field(() => DateTimeScalar, {
    description: 'createdAt plus REVIEW_SLA_HOURS: when a manager should have decided.',
  })
  reviewDueAt!: Date;
}
bindRows('Dispute', DisputeEntity);

@InputType({ description: 'Narrows the Disputes list. All given conditions must hold.' })
export class DisputeFilter {
  @Field(() => [DisputeStatusEnum], { nullable: true, description: 'Any of these statuses.' })
  status?: DisputeStatus[];
  @Field(() => [DisputeReasonEnum], { nullable: true, description: 'Any of these reasons.' })
  reason?: DisputeReason[];
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
  @Field(() => Boolean, {
    nullable: true,
    description: 'Only PENDING disputes past (true) or within (false) their reviewDueAt.',
  })
  overdue?: boolean | null;
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
  reason!: DisputeReason;
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
  outcome!: DisputeStatus;
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

@InputType({ description: 'A decision to take back (rule 20), and why.' })
export class ReopenDisputeInput {
  @Field(() => ID, {
    description:
      "The decided dispute to reopen: its call's latest, decided at most REOPEN_WINDOW_HOURS ago.",
  })
  disputeId!: string;
  @Field(() => String, {
    description:
      'Why the decision is reopened: 1 to 2,000 characters after trimming; kept in the history.',
  })
  reason!: string;
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
