import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, columnsOf, rowMapper } from '../platform/columns';

/** Where a call ended up; the GraphQL enum and the fixture parser read this list. */
export const CALL_STATUSES = [
  'IN_PROGRESS',
  'COMPLETED_WITH_CONVERSION',
  'COMPLETED_NO_CONVERSION',
  'CALL_NOT_CONNECTED_WITH_CONVERSION',
  'CALL_NOT_CONNECTED_NO_CONVERSION',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Who ended the call. */
export const HANGUP_SIDES = ['CALLER', 'TARGET', 'SYSTEM'] as const;
export type HangupSide = (typeof HANGUP_SIDES)[number];

@Entity({ name: 'calls' })
export class CallEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'buyer_id' }) buyerId!: string;
  @Column('uuid', { name: 'campaign_id' }) campaignId!: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('text', { name: 'caller_id' }) callerId!: string;
  @Column('text') destination!: string;
  @Column('bigint', { name: 'original_payout_minor', transformer: bigintNumber })
  originalPayoutMinor!: number;
  @Column('bigint', { name: 'payout_minor', transformer: bigintNumber }) payoutMinor!: number;
  @Column('integer', { name: 'duration_seconds' }) durationSeconds!: number;
  @Column('text') status!: CallStatus;
  @Column('text', { name: 'hangup_by', nullable: true }) hangupBy!: HangupSide | null;
  @Column('text', { name: 'hangup_cause', nullable: true }) hangupCause!: string | null;
  @Column('text', { name: 'recording_key', nullable: true }) recordingKey!: string | null;
  @Column('text', { name: 'recording_content_type', nullable: true })
  recordingContentType!: string | null;
  @Column('integer', { name: 'recording_duration_seconds', nullable: true })
  recordingDurationSeconds!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const CALL_COLUMNS = columnsOf(CallEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const callRowMapper = rowMapper(CallEntity);
