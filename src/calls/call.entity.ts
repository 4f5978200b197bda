import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, rawNames } from '../platform/columns';

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

/** The columns of `calls`, in the order callRowMapper reads them. */
export const CALL_COLUMNS = [
  'id',
  'buyer_id',
  'campaign_id',
  'started_at',
  'caller_id',
  'destination',
  'original_payout_minor',
  'payout_minor',
  'duration_seconds',
  'status',
  'hangup_by',
  'hangup_cause',
  'recording_key',
  'recording_content_type',
  'recording_duration_seconds',
  'created_at',
] as const;

/**
 * Reads calls from raw rows whose columns are named `${alias}_${column}` (TypeORM's names for a
 * selected alias; `selectedColumns` writes the same), without the query builder's hydration:
 * the hot lists read many rows each.
 */
export function callRowMapper(alias: string): (row: Record<string, unknown>) => CallEntity {
  const k = rawNames(alias, CALL_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    buyerId: r[k.buyer_id] as string,
    campaignId: r[k.campaign_id] as string,
    startedAt: r[k.started_at] as Date,
    callerId: r[k.caller_id] as string,
    destination: r[k.destination] as string,
    originalPayoutMinor: Number(r[k.original_payout_minor]),
    payoutMinor: Number(r[k.payout_minor]),
    durationSeconds: r[k.duration_seconds] as number,
    status: r[k.status] as CallStatus,
    hangupBy: r[k.hangup_by] as HangupSide | null,
    hangupCause: r[k.hangup_cause] as string | null,
    recordingKey: r[k.recording_key] as string | null,
    recordingContentType: r[k.recording_content_type] as string | null,
    recordingDurationSeconds: r[k.recording_duration_seconds] as number | null,
    createdAt: r[k.created_at] as Date,
  });
}
