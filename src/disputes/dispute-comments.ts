import { randomUUID } from 'node:crypto';
import { queueWebhookEvent, webhookEventData } from '../webhooks/webhook-events';
import type { EntityManager } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { mayReadComment, mayView, mayWriteComment } from '../auth/visibility';
import { selectedColumns } from '../platform/columns';
import { isUuid } from '../platform/ids';
import { badInput, forbidden, notFound } from '../platform/errors';
import { codePointLength } from '../platform/text-input';
import { withTransaction } from '../platform/transaction';
import { publishInTransaction } from '../notifications/live-events';
import { notifyDisputeCommented } from '../notifications/notification.service';
import { DISPUTE_COLUMNS, disputeRowMapper, type DisputeEntity } from './dispute.entity';
import {
  disputeCommentRowMapper,
  type CommentVisibility,
  type DisputeCommentEntity,
} from './dispute-comment.entity';
import { alreadyResolved } from './dispute-transitions';

export const MAX_COMMENT_BODY_LENGTH = 2000;
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

// FOR UPDATE: comments of one dispute queue up behind each other (the count below holds) and
// behind a decision or withdrawal (a comment never lands on a dispute that is no longer PENDING).
const LOCK_FOR_COMMENT = `SELECT ${[
  ...selectedColumns('d', DISPUTE_COLUMNS),
  'c.caller_id AS c_caller_id',
  '(SELECT count(*)::int FROM dispute_comments dc WHERE dc.dispute_id = d.id) AS comment_count',
].join(', ')}
  FROM disputes d
  JOIN calls c ON c.id = d.call_id
 WHERE d.id = $1
   FOR UPDATE OF d`;
const disputeOf = disputeRowMapper('d');
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
    const [row] = (await em.query(LOCK_FOR_COMMENT, [input.disputeId])) as Record<
      string,
      unknown
    >[];
    const dispute = row && disputeOf(row);
    if (!row || !dispute || !mayView(viewer, 'dispute', dispute.buyerId))
      throw notFound('dispute', input.disputeId);
    if (dispute.status !== 'PENDING') throw alreadyResolved(dispute.status);
    const length = codePointLength(body);
    if (length < 1 || length > MAX_COMMENT_BODY_LENGTH) {
      throw badInput(
        'body',
        length < 1
          ? 'is empty; write 1 to 2,000 characters.'
          : `is ${length} characters long; at most ${MAX_COMMENT_BODY_LENGTH} are allowed.`,
      );
    }
    if ((row.comment_count as number) >= MAX_COMMENTS_PER_DISPUTE) {
      throw badInput(
        'disputeId',
        `names a dispute that already holds ${MAX_COMMENTS_PER_DISPUTE} comments, the most it may hold.`,
      );
    }
    return writeComment(em, {
      dispute,
      callerId: row.c_caller_id as string,
      author: viewer,
      body,
      visibility,
      at: ctx.app.now(),
    });
  });
}

/**
 * The one place a comment is written, in the caller's transaction: the row, then, for a SHARED
 * comment only, the other side's DISPUTE_COMMENTED notifications and the live event (sent on
 * commit). An INTERNAL comment goes nowhere else. A further consumer of SHARED comments (a
 * webhook outbox row) is one more line in the SHARED branch.
 */
/** What webhookEventData needs for a decision's amount; a PENDING dispute has no decision. */
const NO_DECISION_CURRENCY = '';

export async function writeComment(
  em: EntityManager,
  c: {
    dispute: DisputeEntity;
    callerId: string;
    author: Pick<Viewer, 'id' | 'role'>;
    body: string;
    visibility: CommentVisibility;
    at: Date;
  },
): Promise<DisputeCommentEntity> {
  const rows = (await em.query(
    `INSERT INTO dispute_comments (id, dispute_id, author_id, author_role, body, visibility, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING *`,
    [randomUUID(), c.dispute.id, c.author.id, c.author.role, c.body, c.visibility, c.at],
  )) as Record<string, unknown>[];
  const comment = commentOf(rows[0]!);
  if (comment.visibility === 'SHARED') {
    const about = { id: comment.id, authorRole: comment.authorRole };
    await notifyDisputeCommented(em, c.dispute, c.callerId, about);
    await publishInTransaction(em, {
      kind: 'dispute',
      change: 'commented',
      disputeId: c.dispute.id,
      buyerId: c.dispute.buyerId,
      comment: about,
    });
    // Comments are written on PENDING disputes only, so the payload carries no decision (and
    // no amount needing the account's currency).
    await queueWebhookEvent(em, {
      type: 'dispute.commented',
      buyerId: c.dispute.buyerId,
      at: c.at,
      data: webhookEventData(c.dispute, NO_DECISION_CURRENCY, comment),
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
