import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { mayReadComment, mayWriteComment } from '../auth/visibility';
import { isUuid } from '../platform/ids';
import { badInput, forbidden, notFound } from '../platform/errors';
import { checkTextLength } from '../platform/text-input';
import { withTransaction } from '../platform/transaction';
import type { DisputeEntity } from './dispute.entity';
import {
  disputeCommentRowMapper,
  type CommentVisibility,
  type DisputeCommentEntity,
} from './dispute-comment.entity';
import { lockVisibleDispute } from './dispute-lock';
import { alreadyResolved } from './dispute-transitions';
import { fanOut } from './dispute-fan-out';
import { INSERT_DISPUTE_COMMENT } from './dispute.queries';

/**
 * The most comments one dispute holds (and what Dispute.comments answers at most): a review
 * conversation, not a chat; refusing the next one keeps the field's cost bounded.
 */
export const MAX_COMMENTS_PER_DISPUTE = 200;

export interface AddCommentInput {
  disputeId: string;
  body: string;
  visibility?: CommentVisibility | null;
}

const commentOf = disputeCommentRowMapper('');

/**
 * Rule 13. Checks in the contract's order: authentication and permission (the resolver's guard,
 * then who may write this visibility), visibility (NOT_FOUND), then the rules: the dispute is
 * PENDING (DISPUTE_ALREADY_RESOLVED, before the body, as for decisions), the body is 1 to 2,000
 * characters once trimmed.
 */
export async function addDisputeComment(
  ctx: Context,
  viewer: Viewer,
  input: AddCommentInput,
): Promise<DisputeCommentEntity> {
  const visibility = input.visibility ?? 'SHARED';
  if (!mayWriteComment(viewer, visibility)) {
    throw forbidden(
      viewer.role === 'MANAGER'
        ? 'Commenting needs the EDIT_DISPUTES permission.'
        : visibility === 'INTERNAL'
          ? 'Only managers write INTERNAL comments.'
          : 'Commenting needs the DISPUTE_CALLS permission.',
    );
  }
  if (!isUuid(input.disputeId)) throw notFound('dispute', input.disputeId);
  const body = input.body.trim();
  return withTransaction(ctx.app.ds, async (em) => {
    // Locked: comments of one dispute queue up behind each other (the count below holds) and
    // behind a decision or withdrawal (a comment never lands on a dispute that is no longer
    // PENDING).
    const { dispute, call, currency, commentCount } = await lockVisibleDispute(
      em,
      viewer,
      input.disputeId,
      { lockCall: false, countComments: true },
    );
    if (dispute.status !== 'PENDING') throw alreadyResolved(dispute.status);
    if (!body) throw badInput('body', 'is empty; write 1 to 2,000 characters.');
    checkTextLength('body', body);
    if ((commentCount ?? 0) >= MAX_COMMENTS_PER_DISPUTE) {
      throw badInput(
        'disputeId',
        `names a dispute that already holds ${MAX_COMMENTS_PER_DISPUTE} comments, the most it may hold.`,
      );
    }
    return writeComment(em, {
      dispute,
      currency,
      callerId: call.callerId,
      author: viewer,
      body,
      visibility,
      at: ctx.app.now(),
    });
  });
}

/**
 * The one place a comment is written, in the caller's transaction: the row, then, for a SHARED
 * comment only, the COMMENTED event through the one fan-out (dispute-fan-out.ts): the other
 * side's notifications, the webhook outbox row and the live event (sent on commit). An
 * INTERNAL comment goes nowhere else.
 */
export async function writeComment(
  em: EntityManager,
  c: {
    dispute: DisputeEntity;
    /** The buyer account's currency, for the webhook payload's amounts. */
    currency: string;
    callerId: string;
    author: Pick<Viewer, 'id' | 'role'>;
    body: string;
    visibility: CommentVisibility;
    at: Date;
  },
): Promise<DisputeCommentEntity> {
  const rows = (await em.query(INSERT_DISPUTE_COMMENT, [
    randomUUID(),
    c.dispute.id,
    c.author.id,
    c.author.role,
    c.body,
    c.visibility,
    c.at,
  ])) as Record<string, unknown>[];
  const comment = commentOf(rows[0]!);
  if (comment.visibility === 'SHARED') {
    await fanOut(em, {
      event: 'COMMENTED',
      dispute: c.dispute,
      callerId: c.callerId,
      currency: c.currency,
      actor: { id: c.author.id, at: c.at },
      comment,
      announced: true,
    });
  }
  return comment;
}

/** Dispute.comments: oldest first, only those the viewer may read (auth/visibility.ts). */
export function readableComments(
  viewer: Viewer,
  dispute: Pick<DisputeEntity, 'buyerId'>,
  comments: readonly DisputeCommentEntity[],
): DisputeCommentEntity[] {
  return comments.filter((c) =>
    mayReadComment(viewer, { visibility: c.visibility, disputeBuyerId: dispute.buyerId }),
  );
}
