import { Reads } from '../platform/field-reads';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { User } from '../accounts/account.types';
import type { Context } from '../platform/context';
import { capList, MaxItems } from '../platform/list-size';
import { requireViewer } from '../auth/viewer';
import type { DisputeEntity } from './dispute.entity';
import type { DisputeCommentEntity } from './dispute-comment.entity';
import { Dispute, ReopenDisputeInput } from './dispute.types';
import { AddDisputeCommentInput, DisputeComment } from './dispute-comment.types';
import { addDisputeComment, MAX_COMMENTS_PER_DISPUTE, readableComments } from './dispute-comments';
import { withdrawDispute } from './dispute-withdraw';
import { reopenDispute } from './dispute-reopen';
import { isOverdue } from './review-deadline';

/**
 * Rules 12-14 and 20 on the Dispute type: withdrawal, the conversation, the review deadline and
 * reopening a decision.
 */
@Resolver(() => Dispute)
export class DisputeLifecycleResolver {
  @Authorized('DISPUTE_CALLS')
  @Mutation(() => Dispute, {
    description: "The buyer takes back its own account's PENDING dispute (needs DISPUTE_CALLS).",
  })
  withdrawDispute(
    @Ctx() ctx: Context,
    @Arg('disputeId', () => ID, { description: 'The PENDING dispute to withdraw.' })
    disputeId: string,
  ) {
    return withdrawDispute(ctx, requireViewer(ctx.viewer), disputeId);
  }

  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @Mutation(() => DisputeComment, {
    description:
      'A comment on a PENDING dispute: buyer users with DISPUTE_CALLS of its account (SHARED), managers with EDIT_DISPUTES (SHARED or INTERNAL).',
  })
  addDisputeComment(
    @Ctx() ctx: Context,
    @Arg('input', () => AddDisputeCommentInput, {
      description: 'The dispute, the text and who may read it.',
    })
    input: AddDisputeCommentInput,
  ) {
    return addDisputeComment(ctx, requireViewer(ctx.viewer), input);
  }

  @Authorized('EDIT_DISPUTES')
  @Mutation(() => Dispute, {
    description:
      "A manager with EDIT_DISPUTES takes back a decision (README.md, rule 20): the dispute is PENDING again. The call's payout is back to what it was before the decision.",
  })
  reopenDispute(
    @Ctx() ctx: Context,
    @Arg('input', () => ReopenDisputeInput, {
      description: 'The decided dispute and why it is reopened.',
    })
    input: ReopenDisputeInput,
  ) {
    return reopenDispute(ctx, requireViewer(ctx.viewer), input);
  }

  @Reads('Dispute', { self: ['status', 'review_due_at'] })
  @FieldResolver(() => Boolean, { description: 'PENDING and past reviewDueAt.' })
  overdue(@Root() d: DisputeEntity, @Ctx() ctx: Context): boolean {
    return isOverdue(d, ctx.app.now());
  }

  @MaxItems(MAX_COMMENTS_PER_DISPUTE)
  @Reads('Dispute')
  @FieldResolver(() => [DisputeComment], {
    description: `Oldest first. Buyers see SHARED comments only. At most ${MAX_COMMENTS_PER_DISPUTE} (a dispute holds no more).`,
  })
  async comments(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    const all = await ctx.loaders.commentsOfDispute.load(d.id);
    return capList(readableComments(requireViewer(ctx.viewer), d, all), MAX_COMMENTS_PER_DISPUTE);
  }
}

@Resolver(() => DisputeComment)
export class DisputeCommentResolver {
  @FieldResolver(() => User, { description: 'Who wrote it.' })
  author(@Root() c: DisputeCommentEntity, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(c.authorId);
  }
}
