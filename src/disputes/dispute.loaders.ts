import { In, type DataSource } from 'typeorm';
import { groupLoader } from '../platform/loaders';
import { DISPUTE_EVENT_COLUMNS, disputeEventRowMapper } from './dispute-event.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';
import { DISPUTE_COMMENT_COLUMNS, disputeCommentRowMapper } from './dispute-comment.entity';

// A creation and its automatic decision share an instant (rule 15): CREATED sorts first.
const EVENTS_OF_DISPUTES = `SELECT ${DISPUTE_EVENT_COLUMNS.join(', ')} FROM dispute_events
  WHERE dispute_id = ANY ($1::uuid[])
  ORDER BY at ASC, (status_before IS NOT NULL) ASC, id ASC`;
const eventOf = disputeEventRowMapper('');
// Served by dispute_comments_dispute_idx; a dispute holds at most MAX_COMMENTS_PER_DISPUTE.
const COMMENTS_OF_DISPUTES = `SELECT ${DISPUTE_COMMENT_COLUMNS.join(', ')} FROM dispute_comments
  WHERE dispute_id = ANY ($1::uuid[]) ORDER BY created_at ASC, id ASC`;
const commentOf = disputeCommentRowMapper('');

export function createDisputeLoaders(ds: DataSource) {
  return {
    /** The audit trail of a dispute, oldest first. */
    eventsOfDispute: groupLoader(
      async (ids) =>
        ((await ds.query(EVENTS_OF_DISPUTES, [ids])) as Record<string, unknown>[]).map(eventOf),
      (e) => e.disputeId,
    ),
    /** A dispute's comments, oldest first, every visibility: readers filter (dispute-comments.ts). */
    commentsOfDispute: groupLoader(
      async (ids) =>
        ((await ds.query(COMMENTS_OF_DISPUTES, [ids])) as Record<string, unknown>[]).map(commentOf),
      (c) => c.disputeId,
    ),
    evidenceOfDispute: groupLoader(
      (ids) =>
        ds.getRepository(EvidenceEntity).find({
          where: { disputeId: In(ids) },
          order: { boundAt: 'ASC', id: 'ASC' },
        }),
      (e) => e.disputeId as string,
    ),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createDisputeLoaders> {}
}
