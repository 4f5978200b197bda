import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'evidence' })
export class EvidenceEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'owner_id' }) ownerId!: string;
  @Column('uuid', { name: 'dispute_id', nullable: true }) disputeId!: string | null;
  @Column('text', { name: 'file_name' }) fileName!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  @Column('integer', { name: 'size_bytes' }) sizeBytes!: number;
  /**
   * Chosen by the server, never from the client's file name: the key the client's signed upload
   * writes until createDispute binds the file, then the checked copy it made, which no signed
   * upload can write (evidence-keys.ts).
   */
  @Column('text', { name: 'object_key' }) objectKey!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'bound_at', nullable: true }) boundAt!: Date | null;
}
