import { Reads } from '../platform/field-reads';
import { whenReady, type Now } from '../platform/loaders';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Query,
  Resolver,
  Root,
  Args,
} from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Account } from '../accounts/account.types';
import { Money, money, type MoneyValue } from '../platform/common.types';
import type { Context } from '../platform/context';
import { PageArgs, toConnection } from '../platform/pagination';
import { requireViewer } from '../auth/viewer';
import type { CallEntity } from './call.entity';
import { Call, CallConnection, CallFilter, Campaign, Hangup, Recording } from './call.types';
import { accountCurrency, findVisibleCall, listCalls } from './call.service';
import { recordingOf, recordingUrl, type RecordingValue } from '../evidence/evidence.service';

@Resolver(() => Call)
export class CallResolver {
  @Authorized()
  @Query(() => CallConnection, {
    description: "The Call Log: a buyer's own calls; every call for a manager. Newest first.",
  })
  async calls(
    @Ctx() ctx: Context,
    @Arg('filter', () => CallFilter, {
      nullable: true,
      description: 'Narrows the list; all conditions must hold.',
    })
    filter: CallFilter | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    const viewer = requireViewer(ctx.viewer);
    return toConnection(await listCalls(ctx, viewer, { filter, first, after }, info));
  }

  @Authorized()
  @Query(() => Call, {
    nullable: true,
    description: "One call, or null when it does not exist or is not the viewer's to see.",
  })
  call(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The ID to look up.' }) id: string,
  ) {
    return findVisibleCall(ctx, requireViewer(ctx.viewer), id);
  }

  @Reads('Call')
  @FieldResolver(() => Account, { description: 'The buyer account that bought the call.' })
  buyer(@Root() call: CallEntity, @Ctx() ctx: Context) {
    return ctx.loaders.account.row(call.buyerId);
  }

  @Reads('Call')
  @FieldResolver(() => Campaign, { description: 'The campaign the call came through.' })
  campaign(@Root() call: CallEntity, @Ctx() ctx: Context) {
    return ctx.loaders.campaign.row(call.campaignId);
  }

  @Reads('Call', { self: ['payout_minor'], account: ['currency'] })
  @FieldResolver(() => Money, {
    description: 'What the buyer pays now, after any accepted adjustment.',
  })
  payout(@Root() call: CallEntity, @Ctx() ctx: Context): Now<MoneyValue> {
    return whenReady(accountCurrency(ctx, call.buyerId), (c) => money(call.payoutMinor, c));
  }

  @Reads('Call', { self: ['original_payout_minor'], account: ['currency'] })
  @FieldResolver(() => Money, { description: 'What the buyer paid before any adjustment.' })
  originalPayout(@Root() call: CallEntity, @Ctx() ctx: Context): Now<MoneyValue> {
    return whenReady(accountCurrency(ctx, call.buyerId), (c) => money(call.originalPayoutMinor, c));
  }

  @Reads('Call', { self: ['hangup_by', 'hangup_cause'] })
  @FieldResolver(() => Hangup, {
    nullable: true,
    description: 'How the call ended; null when unknown.',
  })
  hangup(@Root() call: CallEntity) {
    return call.hangupBy ? { by: call.hangupBy, cause: call.hangupCause } : null;
  }

  @Reads('Call', {
    self: ['recording_key', 'recording_content_type', 'recording_duration_seconds'],
  })
  @FieldResolver(() => Recording, {
    nullable: true,
    description: "The call's audio; null when there is none.",
  })
  recording(@Root() call: CallEntity, @Ctx() ctx: Context) {
    return recordingOf(requireViewer(ctx.viewer), call);
  }

  @Reads('Call')
  @FieldResolver(() => Call, {
    nullable: true,
    description:
      'The latest earlier call of the same buyer account from the same callerId that started at most DUPLICATE_WINDOW_HOURS before this one; null if none.',
  })
  duplicateOf(@Root() call: CallEntity, @Ctx() ctx: Context): Promise<CallEntity | null> {
    // Same account as this call by definition, so whoever sees this call may see it.
    return ctx.loaders.duplicateOf.load(call.id);
  }
}

@Resolver(() => Recording)
export class RecordingResolver {
  // Recordings are only ever reached through Call.recording, which checks the viewer may hear it.
  @FieldResolver(() => String, {
    description: 'Short-lived signed URL; only ever issued to a viewer allowed to see the call.',
  })
  url(@Root() r: RecordingValue, @Ctx() ctx: Context): Promise<string> {
    return recordingUrl(ctx, r);
  }
}
