import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../platform/context';
import { MaxItems } from '../platform/list-size';
import { DateTimeScalar } from '../platform/scalars';
import { requireViewer } from '../auth/viewer';
import { disputeStats, MAX_STATS_ROWS, type DisputeStatsGroup } from './dispute-stats';
import { DisputeStatsGroupEnum, DisputeStatsRow } from './dispute-stats.types';

@Resolver()
export class DisputeStatsResolver {
  @Authorized('DISPUTE_CALLS', 'VIEW_DISPUTES')
  @MaxItems(MAX_STATS_ROWS)
  @Query(() => [DisputeStatsRow], {
    description: `Buyers (DISPUTE_CALLS): their own account. Managers (VIEW_DISPUTES): every account. Calls started in [from, to), at most 366 days; rows ordered by key; at most ${MAX_STATS_ROWS} rows.`,
  })
  disputeStats(
    @Ctx() ctx: Context,
    @Arg('groupBy', () => DisputeStatsGroupEnum, { description: 'What a row stands for.' })
    groupBy: DisputeStatsGroup,
    @Arg('from', () => DateTimeScalar, { description: 'Calls started at or after this instant.' })
    from: Date,
    @Arg('to', () => DateTimeScalar, {
      description: 'Calls started before this instant; after `from`, at most 366 days later.',
    })
    to: Date,
  ) {
    return disputeStats(ctx, requireViewer(ctx.viewer), { groupBy, from, to });
  }
}
