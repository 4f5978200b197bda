import { Column, Entity, PrimaryColumn } from 'typeorm';
import { columnsOf, rowMapper } from '../platform/columns';
import type { Role } from '../accounts/permissions';

/** Who reads a comment (rule 13): SHARED both sides, INTERNAL managers only. */
export const COMMENT_VISIBILITIES = ['SHARED', 'INTERNAL'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

/** One message of a dispute's conversation; written once, never changed. */
@Entity({ name: 'dispute_comments' })
export class DisputeCommentEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'dispute_id' }) disputeId!: string;
  @Column('uuid', { name: 'author_id' }) authorId!: string;
  /** The author's role when writing, kept so a later change of role does not rewrite history. */
  @Column('text', { name: 'author_role' }) authorRole!: Role;
  @Column('text') body!: string;
  @Column('text') visibility!: CommentVisibility;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export const DISPUTE_COMMENT_COLUMNS = columnsOf(DisputeCommentEntity);
export const disputeCommentRowMapper = rowMapper(DisputeCommentEntity);
