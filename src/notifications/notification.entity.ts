import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a notification is about. */
export const NOTIFICATION_KINDS = ['DISPUTE_CREATED', 'DISPUTE_RESOLVED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') kind!: NotificationKind;
  @Column('uuid', { name: 'dispute_id' }) disputeId!: string;
  @Column('text') message!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
}
