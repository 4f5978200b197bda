import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Account } from '../accounts/account.types';
import type { Context } from '../platform/context';
import { toConnection, type Page } from '../platform/pagination';
import { MaxItems } from '../platform/list-size';
import { requireViewer } from '../auth/viewer';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  MAX_ENDPOINTS_PER_OWNER,
  redeliver,
} from './webhook-endpoints';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  deliveryValue,
  endpointValue,
  EVENT_NAME,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
} from './webhook.types';

/** A page whose items are shown as other values; cursors still come from the rows. */
function mapPage<A, B extends object>(page: Page<A>, show: (a: A) => B): Page<B> {
  const rowOf = new Map<B, A>();
  const items = page.items.map((a) => {
    const b = show(a);
    rowOf.set(b, a);
    return b;
  });
  return { ...page, items, cursorOf: (b) => page.cursorOf(rowOf.get(b)!) };
}

@ArgsType()
class DeliveryPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1 to 100.' })
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

/** Buyers with DISPUTE_CALLS manage their account's endpoints; managers with EDIT_DISPUTES the platform's. */
@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @MaxItems(MAX_ENDPOINTS_PER_OWNER)
  @Query(() => [WebhookEndpoint], {
    description:
      "Buyers (DISPUTE_CALLS): their account's endpoints. Managers (EDIT_DISPUTES): the platform's endpoints. Oldest first; at most 20.",
  })
  async webhookEndpoints(@Ctx() ctx: Context): Promise<WebhookEndpoint[]> {
    return (await listEndpoints(ctx, requireViewer(ctx.viewer))).map(endpointValue);
  }

  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @Query(() => WebhookEndpoint, {
    nullable: true,
    description:
      'One endpoint the viewer manages; null for any other ID. FORBIDDEN without the permission behind webhookEndpoints.',
  })
  async webhookEndpoint(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The endpoint ID.' }) id: string,
  ): Promise<WebhookEndpoint | null> {
    const found = await findEndpoint(ctx, requireViewer(ctx.viewer), id);
    return found ? endpointValue(found) : null;
  }

  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @Mutation(() => CreatedWebhookEndpoint, {
    description:
      "Buyers (DISPUTE_CALLS): an endpoint for their account's events. Managers (EDIT_DISPUTES): a platform endpoint.",
  })
  async createWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateWebhookEndpointInput, { description: 'The URL and the events.' })
    input: CreateWebhookEndpointInput,
  ): Promise<CreatedWebhookEndpoint> {
    const { endpoint, secret } = await createEndpoint(ctx, requireViewer(ctx.viewer), {
      url: input.url,
      events: input.events.map((t) => EVENT_NAME[t]),
    });
    return { endpoint: endpointValue(endpoint), secret };
  }

  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @Mutation(() => Boolean, {
    description:
      "Deletes an endpoint the viewer manages and drops its pending deliveries; returns true. Any other ID (another's, unknown, already deleted) is NOT_FOUND.",
  })
  deleteWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The endpoint ID.' }) id: string,
  ): Promise<boolean> {
    return deleteEndpoint(ctx, requireViewer(ctx.viewer), id);
  }

  @Authorized('DISPUTE_CALLS', 'EDIT_DISPUTES')
  @Mutation(() => WebhookDelivery, {
    description:
      'Queues one more attempt of a delivery of an endpoint the viewer manages, with the same eventId and payload.',
  })
  async redeliverWebhook(
    @Ctx() ctx: Context,
    @Arg('deliveryId', () => ID, { description: 'The delivery ID.' }) deliveryId: string,
  ): Promise<WebhookDelivery> {
    return deliveryValue(await redeliver(ctx, requireViewer(ctx.viewer), deliveryId));
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description:
      "The buyer account whose events it receives; null for a platform endpoint (every account's events).",
  })
  account(@Root() e: WebhookEndpoint, @Ctx() ctx: Context) {
    return e.accountId ? ctx.loaders.account.load(e.accountId) : null;
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Newest first.' })
  async deliveries(
    @Root() e: WebhookEndpoint,
    @Ctx() ctx: Context,
    @Args(() => DeliveryPageArgs) { first, after }: DeliveryPageArgs,
  ) {
    // The endpoint was reached through webhookEndpoint(s), which only answer the viewer's own.
    return toConnection(mapPage(await listDeliveries(ctx, e.id, { first, after }), deliveryValue));
  }
}
