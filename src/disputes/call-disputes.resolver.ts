import { Reads } from '../platform/field-reads';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../platform/context';
import { capList, MaxItems } from '../platform/list-size';
import { requireViewer } from '../auth/viewer';
import { mayView } from '../auth/visibility';
import type { CallEntity } from '../calls/call.entity';
import { Call } from '../calls/call.types';
import type { DisputeEntity } from './dispute.entity';
import { Dispute } from './dispute.types';
import { Disputability } from './disputability.types';
import { disputabilityOf } from './disputability';
import { MAX_DISPUTES_PER_CALL } from './dispute.loaders';

/** What disputes/ adds to a call: its disputes, and whether the viewer may dispute it now. */
@Resolver(() => Call)
export class CallDisputesResolver {
  @Reads('Call', {
    self: ['status', 'started_at'],
    campaign: ['dispute_window_hours'],
    account: ['dispute_window_hours'],
  })
  @FieldResolver(() => Disputability, {
    description:
      'Whether the viewer may dispute this call now; the UI shows Dispute Call exactly when allowed.',
  })
  disputability(@Root() call: CallEntity, @Ctx() ctx: Context) {
    return disputabilityOf(ctx, requireViewer(ctx.viewer), call);
  }

  @MaxItems(MAX_DISPUTES_PER_CALL)
  @Reads('Call')
  @FieldResolver(() => [Dispute], {
    description: `The disputes of this call, newest first: the ${MAX_DISPUTES_PER_CALL} most recent (a call is disputed again only after a rejection).`,
  })
  async disputes(@Root() call: CallEntity, @Ctx() ctx: Context): Promise<DisputeEntity[]> {
    if (!mayView(requireViewer(ctx.viewer), 'dispute', call.buyerId)) return [];
    return capList(await ctx.loaders.disputesOfCall.load(call.id), MAX_DISPUTES_PER_CALL);
  }
}
