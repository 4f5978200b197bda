import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A createDispute retry key, scoped to its user. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('uuid', { name: 'dispute_id' }) disputeId!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
