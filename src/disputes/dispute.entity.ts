import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, rawNames } from '../platform/columns';

/** Where a dispute stands, in the order of the Disputes list's STATUS sort. */
export const DISPUTE_STATUSES = ['PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'] as const;
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
}

/** The columns of `disputes`, in the order disputeRowMapper reads them. */
export const DISPUTE_COLUMNS = [
  'id',
  'call_id',
  'buyer_id',
  'status',
  'status_rank',
  'reason',
  'additional_info',
  'call_started_at',
  'created_by',
  'created_at',
  'decided_at',
  'decided_by',
  'adjustment_minor',
  'decision_comment',
] as const;

/**
 * Reads disputes from raw rows named `${alias}_${column}` (see callRowMapper); with an empty
 * alias, from rows named by the columns alone (`RETURNING *`).
 */
export function disputeRowMapper(alias: string): (row: Record<string, unknown>) => DisputeEntity {
  const k = rawNames(alias, DISPUTE_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    callId: r[k.call_id] as string,
    buyerId: r[k.buyer_id] as string,
    status: r[k.status] as DisputeStatus,
    statusRank: r[k.status_rank] as number,
    reason: r[k.reason] as DisputeReason,
    additionalInfo: r[k.additional_info] as string | null,
    callStartedAt: r[k.call_started_at] as Date,
    createdById: r[k.created_by] as string,
    createdAt: r[k.created_at] as Date,
    decidedAt: r[k.decided_at] as Date | null,
    decidedById: r[k.decided_by] as string | null,
    adjustmentMinor: r[k.adjustment_minor] === null ? null : Number(r[k.adjustment_minor]),
    decisionComment: r[k.decision_comment] as string | null,
  });
}
