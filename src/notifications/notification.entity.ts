import { Column, Entity, PrimaryColumn } from 'typeorm';
import { columnsOf, rowMapper } from '../platform/columns';

import type { NotificationKind } from '../disputes/dispute-events';

/** What a notification is about: one kind per dispute event (disputes/dispute-events.ts). */
export { NOTIFICATION_KINDS, type NotificationKind } from '../disputes/dispute-events';

@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') kind!: NotificationKind;
  @Column('uuid', { name: 'dispute_id' }) disputeId!: string;
  @Column('text') message!: string;
  /** The comment a DISPUTE_COMMENTED notification is about; null for other kinds. */
  @Column('uuid', { name: 'comment_id', nullable: true }) commentId!: string | null;
  /**
   * The dispute event it announces (the ID its live event carries, disputes/dispute-fan-out.ts);
   * null on notifications written before events had IDs.
   */
  @Column('uuid', { name: 'event_id', nullable: true }) eventId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
}

export const NOTIFICATION_COLUMNS = columnsOf(NotificationEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const notificationRowMapper = rowMapper(NotificationEntity);
