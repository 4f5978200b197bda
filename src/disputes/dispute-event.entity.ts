import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, columnsOf, rowMapper } from '../platform/columns';
import type { DisputeStatus } from './dispute.entity';

import type { HistoryEventName } from './dispute-events';

/** What happened to a dispute: the events that write a history row (dispute-events.ts). */
export { HISTORY_EVENT_NAMES as DISPUTE_EVENT_TYPES } from './dispute-events';
export type DisputeEventType = HistoryEventName;

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
  /** The manager's reason on a REOPENED event (rule 20); null on every other type. */
  @Column('text', { nullable: true }) note!: string | null;
}

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const DISPUTE_EVENT_COLUMNS = columnsOf(DisputeEventEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const disputeEventRowMapper = rowMapper(DisputeEventEntity);
