import { In, type DataSource } from 'typeorm';
import { byIdLoader, groupLoader } from '../platform/loaders';
import { DisputeEntity, disputeRowMapper } from './dispute.entity';
import { disputeEventRowMapper } from './dispute-event.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';
import { disputeCommentRowMapper } from './dispute-comment.entity';
import { COMMENTS_OF_DISPUTES, disputesOfCallsSql, EVENTS_OF_DISPUTES } from './dispute.queries';

const eventOf = disputeEventRowMapper('');
const commentOf = disputeCommentRowMapper('');

/** What Call.disputes answers at most; the cost check counts this many. */
export const MAX_DISPUTES_PER_CALL = 50;

/**
 * Per call, the newest MAX_DISPUTES_PER_CALL disputes and those that decide its disputability
 * (pending, accepted), newest first, read by the database function `disputes_of_call` with a
 * bound per call (migration DisputesStandingIndex): a buyer who disputes and withdraws a call
 * again and again grows its disputes without limit, not what one read of them costs.
 */
export const DISPUTES_OF_CALLS = disputesOfCallsSql(MAX_DISPUTES_PER_CALL);
const disputeOf = disputeRowMapper('');

export function createDisputeLoaders(ds: DataSource) {
  return {
    /**
     * Disputes by id, unscoped: reached only through rows whose readers may always see their
     * dispute (a notification's addressee).
     */
    dispute: byIdLoader(ds, DisputeEntity),
    /** A call's newest disputes and its standing ones, newest first (DISPUTES_OF_CALLS). */
    disputesOfCall: groupLoader(
      async (callIds) =>
        ((await ds.query(DISPUTES_OF_CALLS, [callIds])) as Record<string, unknown>[]).map(
          disputeOf,
        ),
      (d) => d.callId,
    ),

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
