import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, rawNames } from '../platform/columns';
import type { DisputeStatus } from './dispute.entity';

/** What happened to a dispute. */
export const DISPUTE_EVENT_TYPES = ['CREATED', 'RESOLVED'] as const;
export type DisputeEventType = (typeof DISPUTE_EVENT_TYPES)[number];

/** One append-only entry of a dispute's audit trail (a trigger refuses UPDATE and DELETE). */
@Entity({ name: 'dispute_events' })
export class DisputeEventEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'dispute_id' }) disputeId!: string;
  @Column('text') type!: DisputeEventType;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { name: 'actor_id' }) actorId!: string;
  @Column('text', { name: 'status_before', nullable: true }) statusBefore!: DisputeStatus | null;
  @Column('text', { name: 'status_after' }) statusAfter!: DisputeStatus;
  @Column('bigint', { name: 'payout_before_minor', transformer: bigintNumber })
  payoutBeforeMinor!: number;
  @Column('bigint', { name: 'payout_after_minor', transformer: bigintNumber })
  payoutAfterMinor!: number;
  @Column('char', { length: 3 }) currency!: string;
}

/** The columns of `dispute_events`, in the order disputeEventRowMapper reads them. */
export const DISPUTE_EVENT_COLUMNS = [
  'id',
  'dispute_id',
  'type',
  'at',
  'actor_id',
  'status_before',
  'status_after',
  'payout_before_minor',
  'payout_after_minor',
  'currency',
] as const;

/** Reads events from raw rows named `${alias}_${column}`, or by column alone without an alias. */
export function disputeEventRowMapper(
  alias: string,
): (row: Record<string, unknown>) => DisputeEventEntity {
  const k = rawNames(alias, DISPUTE_EVENT_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    disputeId: r[k.dispute_id] as string,
    type: r[k.type] as DisputeEventType,
    at: r[k.at] as Date,
    actorId: r[k.actor_id] as string,
    statusBefore: r[k.status_before] as DisputeStatus | null,
    statusAfter: r[k.status_after] as DisputeStatus,
    payoutBeforeMinor: Number(r[k.payout_before_minor]),
    payoutAfterMinor: Number(r[k.payout_after_minor]),
    currency: r[k.currency] as string,
  });
}
