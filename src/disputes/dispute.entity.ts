import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, columnsOf, rowMapper } from '../platform/columns';

/** Where a dispute stands, in the order of the Disputes list's STATUS sort. */
export const DISPUTE_STATUSES = [
  'PENDING',
  'ACCEPTED',
  'ACCEPTED_PARTIAL',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** Why the buyer thinks the call is invalid. */
export const DISPUTE_REASONS = [
  'CALLER_HUNG_UP_IMMEDIATELY',
  'CALL_NOT_CONNECTED',
  'INVALID_CALLER',
  'DUPLICATE_CALL',
  'DID_NOT_MEET_QUALIFICATION',
  'TECHNICAL_ISSUES',
  'OTHER',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

@Entity({ name: 'disputes' })
export class DisputeEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'call_id' }) callId!: string;
  /** The call's buyer account, kept on the dispute so every list is scoped without a join. */
  @Column('uuid', { name: 'buyer_id' }) buyerId!: string;
  @Column('text') status!: DisputeStatus;
  @Column({ type: 'smallint', name: 'status_rank', insert: false, update: false })
  statusRank!: number;
  @Column('text') reason!: DisputeReason;
  @Column('text', { name: 'additional_info', nullable: true }) additionalInfo!: string | null;
  @Column('timestamptz', { name: 'call_started_at' }) callStartedAt!: Date;
  @Column('uuid', { name: 'created_by' }) createdById!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedById!: string | null;
  @Column('bigint', { name: 'adjustment_minor', nullable: true, transformer: bigintNumber })
  adjustmentMinor!: number | null;
  @Column('text', { name: 'decision_comment', nullable: true }) decisionComment!: string | null;
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt!: Date | null;
  @Column('uuid', { name: 'withdrawn_by', nullable: true }) withdrawnById!: string | null;
  /** createdAt plus REVIEW_SLA_HOURS, fixed at creation (rule 14). */
  @Column('timestamptz', { name: 'review_due_at' }) reviewDueAt!: Date;
}

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const DISPUTE_COLUMNS = columnsOf(DisputeEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const disputeRowMapper = rowMapper(DisputeEntity);
