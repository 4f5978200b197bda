import { Reads } from '../platform/field-reads';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
  Args,
} from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Account, User } from '../accounts/account.types';
import { Call } from '../calls/call.types';
import { accountCurrency } from '../calls/call.service';
import { Money, money, type MoneyValue } from '../platform/common.types';
import type { Context } from '../platform/context';
import { PageArgs, toConnection } from '../platform/pagination';
import { capList, MaxItems } from '../platform/list-size';
import { requireViewer } from '../auth/viewer';
import { decidedAutomatically } from '../accounts/system-user';
import { mayView } from '../auth/visibility';
import { findVisibleDispute, listDisputes } from './dispute-queries';
import { createDispute } from './dispute-create';
import { MAX_BULK_DECISIONS, resolveDispute, resolveDisputes } from './dispute-decide';
import { MAX_REOPENINGS_PER_DISPUTE } from './dispute-reopen';
import { Evidence } from '../evidence/evidence.types';
import { MAX_EVIDENCE_PER_DISPUTE } from '../evidence/evidence.service';
import type { DisputeEntity } from './dispute.entity';
import type { DisputeEventEntity } from './dispute-event.entity';
import {
  CreateDisputeInput,
  Dispute,
  DisputeConnection,
  DisputeDecision,
  DisputeEvent,
  DisputeFilter,
  DisputeOrder,
  ResolveDisputeInput,
  ResolveDisputeResult,
} from './dispute.types';

/** Root value of DisputeDecision. */
interface DecisionValue {
  outcome: string;
  adjustmentMinor: number;
  currency: string;
  comment: string | null;
  decidedAt: Date;
  decidedById: string;
}

/**
 * What Dispute.history answers at most, and the most a dispute holds: CREATED, a decision, and
 * per reopening (at most MAX_REOPENINGS_PER_DISPUTE) the REOPENED event and what followed it.
 */
export const MAX_HISTORY_EVENTS = 2 + 2 * MAX_REOPENINGS_PER_DISPUTE;

@Resolver(() => Dispute)
export class DisputeResolver {
  @Authorized('DISPUTE_CALLS', 'VIEW_DISPUTES')
  @Query(() => DisputeConnection, {
    description:
      "Buyers: their account's disputes (needs DISPUTE_CALLS). Managers: every dispute (needs VIEW_DISPUTES).",
  })
  async disputes(
    @Ctx() ctx: Context,
    @Arg('filter', () => DisputeFilter, {
      nullable: true,
      description: 'Narrows the list; all conditions must hold.',
    })
    filter: DisputeFilter | null | undefined,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Matches caller ID, destination or dispute ID; case-insensitive, partial.',
    })
    search: string | null | undefined,
    @Arg('orderBy', () => DisputeOrder, {
      nullable: true,
      description: 'STATUS ascending when absent.',
    })
    orderBy: DisputeOrder | null | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    const page = await listDisputes(
      ctx,
      requireViewer(ctx.viewer),
      { filter, search, orderBy, first, after },
      info,
    );
    return toConnection(page);
  }

  @Authorized('DISPUTE_CALLS', 'VIEW_DISPUTES')
  @Query(() => Dispute, {
    nullable: true,
    description: "One dispute, or null when it does not exist or is not the viewer's to see.",
  })
  dispute(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The ID to look up.' }) id: string,
  ) {
    return findVisibleDispute(ctx, requireViewer(ctx.viewer), id);
  }

  @Authorized('DISPUTE_CALLS')
  @Mutation(() => Dispute, {
    description:
      "Disputes a call of the viewer's account (needs DISPUTE_CALLS). Allowed exactly where Call.disputability.allowed is true.",
  })
  createDispute(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateDisputeInput, {
      description: 'The call, the reason and the evidence.',
    })
    input: CreateDisputeInput,
  ) {
    return createDispute(ctx, requireViewer(ctx.viewer), input);
  }

  @Authorized('EDIT_DISPUTES')
  @Mutation(() => Dispute, {
    description:
      'Decides a PENDING dispute (needs EDIT_DISPUTES). It stands unless a manager reopens it (reopenDispute).',
  })
  resolveDispute(
    @Ctx() ctx: Context,
    @Arg('input', () => ResolveDisputeInput, { description: 'The dispute and the decision.' })
    input: ResolveDisputeInput,
  ) {
    return resolveDispute(ctx, requireViewer(ctx.viewer), input);
  }

  @Authorized('EDIT_DISPUTES')
  @MaxItems(MAX_BULK_DECISIONS)
  @Mutation(() => [ResolveDisputeResult], {
    description: `Bulk decisions: each item succeeds or fails on its own; one result per input, in input order; at most ${MAX_BULK_DECISIONS}.`,
  })
  resolveDisputes(
    @Ctx() ctx: Context,
    @Arg('inputs', () => [ResolveDisputeInput], { description: 'At most 100 decisions.' })
    inputs: ResolveDisputeInput[],
  ) {
    return resolveDisputes(ctx, requireViewer(ctx.viewer), inputs);
  }

  @Reads('Dispute')
  @FieldResolver(() => Call, { description: 'The disputed call.' })
  call(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    return ctx.loaders.call.row(d.callId);
  }

  @Reads('Dispute')
  @FieldResolver(() => Account, { description: 'The buyer account that sent the dispute.' })
  buyer(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    return ctx.loaders.account.row(d.buyerId);
  }

  @MaxItems(MAX_EVIDENCE_PER_DISPUTE)
  @Reads('Dispute')
  @FieldResolver(() => [Evidence], {
    description: `Files the buyer attached, in the order given; at most ${MAX_EVIDENCE_PER_DISPUTE}.`,
  })
  async evidence(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    if (!mayView(requireViewer(ctx.viewer), 'evidence', d.buyerId)) return [];
    return capList(await ctx.loaders.evidenceOfDispute.load(d.id), MAX_EVIDENCE_PER_DISPUTE);
  }

  @Reads('Dispute', { self: ['created_by'] })
  @FieldResolver(() => User, { description: 'The buyer user who sent the dispute.' })
  createdBy(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    return ctx.loaders.user.row(d.createdById);
  }

  @Reads('Dispute', {
    self: ['status', 'decided_at', 'decided_by', 'adjustment_minor', 'decision_comment'],
    account: ['currency'],
  })
  @FieldResolver(() => DisputeDecision, {
    nullable: true,
    description: "The manager's decision; null while PENDING.",
  })
  async decision(@Root() d: DisputeEntity, @Ctx() ctx: Context): Promise<DecisionValue | null> {
    if (d.status === 'PENDING' || !d.decidedAt || !d.decidedById) return null;
    return {
      outcome: d.status,
      adjustmentMinor: d.adjustmentMinor ?? 0,
      currency: await accountCurrency(ctx, d.buyerId),
      comment: d.decisionComment,
      decidedAt: d.decidedAt,
      decidedById: d.decidedById,
    };
  }

  @MaxItems(MAX_HISTORY_EVENTS)
  @Reads('Dispute')
  @FieldResolver(() => [DisputeEvent], {
    description: `The audit trail, oldest first: one event per change of status, at most ${MAX_HISTORY_EVENTS}.`,
  })
  async history(@Root() d: DisputeEntity, @Ctx() ctx: Context) {
    return capList(await ctx.loaders.eventsOfDispute.load(d.id), MAX_HISTORY_EVENTS);
  }
}

@Resolver(() => DisputeDecision)
export class DisputeDecisionResolver {
  @FieldResolver(() => Money, {
    description:
      "The amount taken off the call's payout: all of it for ACCEPTED, part for ACCEPTED_PARTIAL, 0.00 for REJECTED.",
  })
  adjustment(@Root() d: DecisionValue): MoneyValue {
    return money(d.adjustmentMinor, d.currency);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Shown to the buyer.' })
  comment(@Root() d: DecisionValue): string | null {
    return d.comment;
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when the platform decided by rule (duplicate auto-acceptance); decidedBy is then the system user named "Automatic review".',
  })
  automatic(@Root() d: DecisionValue): boolean {
    return decidedAutomatically(d);
  }

  @FieldResolver(() => User, {
    description: 'The manager who decided, or the system user "Automatic review" (automatic).',
  })
  decidedBy(@Root() d: DecisionValue, @Ctx() ctx: Context) {
    return ctx.loaders.user.row(d.decidedById);
  }
}

@Resolver(() => DisputeEvent)
export class DisputeEventResolver {
  @FieldResolver(() => User, { description: 'Who did it.' })
  actor(@Root() e: DisputeEventEntity, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(e.actorId);
  }

  @FieldResolver(() => Money, { description: "The call's payout before the event." })
  payoutBefore(@Root() e: DisputeEventEntity): MoneyValue {
    return money(e.payoutBeforeMinor, e.currency);
  }

  @FieldResolver(() => Money, { description: "The call's payout after the event." })
  payoutAfter(@Root() e: DisputeEventEntity): MoneyValue {
    return money(e.payoutAfterMinor, e.currency);
  }
}
