import { randomUUID } from 'node:crypto';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { badInput, forbidden, notFound } from '../platform/errors';
import { isUuid } from '../platform/ids';
import { checkFirst, type Page } from '../platform/pagination';
import { keysetSqlPage, newestFirst } from '../platform/keyset';
import { withTransaction } from '../platform/transaction';
import { managedEndpointsSql, webhookOwnerOf, type WebhookOwner } from '../auth/visibility';
import { Conditions, countRows, positional } from '../platform/sql-conditions';
import {
  deliveryRowMapper,
  endpointRowMapper,
  type WebhookDeliveryEntity,
  type WebhookEndpointEntity,
  type WebhookEventName,
} from './webhook.entity';
import { addressPolicy, checkEndpointUrl } from './webhook-address';
import { generateWebhookSecret } from './webhook-signing';
import { WEBHOOK_CHANNEL } from './webhook-events';
import {
  countEndpointsSql,
  DELETE_ENDPOINT,
  DELETE_PENDING_DELIVERIES,
  findEndpointSql,
  INSERT_ENDPOINT,
  listEndpointsSql,
  LOCK_ENDPOINT_OWNER,
  lockEndpointSql,
  redeliverSql,
  SELECT_DELIVERIES,
} from './webhook.queries';

/** Rule 17: endpoints per buyer account, and platform endpoints. */
export const MAX_ENDPOINTS_PER_OWNER = 20;

/** The owner whose endpoints the viewer manages; the guard on each operation refuses first. */
function ownerOf(viewer: Viewer): WebhookOwner {
  const owner = webhookOwnerOf(viewer);
  if (!owner)
    throw forbidden(
      'This needs the DISPUTE_CALLS (buyers) or EDIT_DISPUTES (managers) permission.',
    );
  return owner;
}

/** SQL over `e` (webhook_endpoints): the endpoints `owner` manages, deleted ones left out. */
function managedLiveSql(owner: WebhookOwner, params: unknown[]): string {
  return `e.deleted_at IS NULL AND ${managedEndpointsSql(owner, 'e', positional(params))}`;
}

const endpointOf = endpointRowMapper('');
const deliveryOf = deliveryRowMapper('');

/** The viewer's endpoints (not deleted), oldest first. */
export async function listEndpoints(
  ctx: Context,
  viewer: Viewer,
): Promise<WebhookEndpointEntity[]> {
  const params: unknown[] = [];
  const managed = managedLiveSql(ownerOf(viewer), params);
  const rows = (await ctx.app.ds.query(
    listEndpointsSql(managed, MAX_ENDPOINTS_PER_OWNER),
    params,
  )) as Record<string, unknown>[];
  return rows.map(endpointOf);
}

/** One endpoint the viewer manages, or null: another's, unknown or deleted read the same. */
export async function findEndpoint(
  ctx: Context,
  viewer: Viewer,
  id: string,
): Promise<WebhookEndpointEntity | null> {
  const owner = ownerOf(viewer);
  if (!isUuid(id)) return null;
  const params: unknown[] = [id];
  const managed = managedLiveSql(owner, params);
  const rows = (await ctx.app.ds.query(findEndpointSql(managed), params)) as Record<
    string,
    unknown
  >[];
  return rows[0] ? endpointOf(rows[0]) : null;
}

export async function createEndpoint(
  ctx: Context,
  viewer: Viewer,
  input: { url: string; events: readonly WebhookEventName[] },
): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
  const owner = ownerOf(viewer);
  const url = await checkEndpointUrl(input.url, addressPolicy(ctx.app.config));
  const events = [...new Set(input.events)];
  if (!events.length) throw badInput('events', 'name at least one event type.');
  const secret = generateWebhookSecret();
  const accountId = owner.kind === 'account' ? owner.accountId : null;
  const endpoint = await withTransaction(ctx.app.ds, async (em) => {
    // One lock per owner serializes creations, so concurrent ones cannot pass the limit together.
    await em.query(LOCK_ENDPOINT_OWNER, [`webhook_endpoints:${accountId ?? 'platform'}`]);
    const params: unknown[] = [];
    const managed = managedLiveSql(owner, params);
    const [held] = (await em.query(countEndpointsSql(managed), params)) as { n: number }[];
    if ((held?.n ?? 0) >= MAX_ENDPOINTS_PER_OWNER) {
      throw badInput(
        'input',
        `at most ${MAX_ENDPOINTS_PER_OWNER} ${owner.kind === 'platform' ? 'platform endpoints' : 'endpoints per account'}; delete one first.`,
      );
    }
    const rows = (await em.query(INSERT_ENDPOINT, [
      randomUUID(),
      accountId,
      url.href,
      events,
      secret,
      viewer.id,
      ctx.app.now(),
    ])) as Record<string, unknown>[];
    return endpointOf(rows[0]!);
  });
  return { endpoint, secret };
}

/** Deletes an endpoint the viewer manages and drops its pending deliveries; NOT_FOUND otherwise. */
export async function deleteEndpoint(ctx: Context, viewer: Viewer, id: string): Promise<boolean> {
  const owner = ownerOf(viewer);
  if (!isUuid(id)) throw notFound('webhook endpoint', id);
  return withTransaction(ctx.app.ds, async (em) => {
    const params: unknown[] = [id];
    const managed = managedLiveSql(owner, params);
    // FOR UPDATE waits for the transactions that are writing deliveries for it (they hold its
    // row FOR KEY SHARE: queueDisputeEvent), so the DELETE below sees and drops them too; those
    // that come later wait for this one and then find the endpoint deleted.
    const found = (await em.query(lockEndpointSql(managed), params)) as unknown[];
    if (found.length !== 1) throw notFound('webhook endpoint', id);
    await em.query(DELETE_ENDPOINT, [id, ctx.app.now()]);
    await em.query(DELETE_PENDING_DELIVERIES, [id]);
    return true;
  });
}

/**
 * One more attempt of a delivery of an endpoint the viewer manages: PENDING, due now, same
 * event ID and body; `attempts` keeps counting. An attempt running now (its lease not yet
 * expired) is left to finish; its outcome is the answer to this request.
 */
export async function redeliver(
  ctx: Context,
  viewer: Viewer,
  deliveryId: string,
): Promise<WebhookDeliveryEntity> {
  const owner = ownerOf(viewer);
  if (!isUuid(deliveryId)) throw notFound('webhook delivery', deliveryId);
  const params: unknown[] = [deliveryId];
  const managed = managedLiveSql(owner, params);
  const rows = (await ctx.app.ds.query(redeliverSql(managed, WEBHOOK_CHANNEL), params)) as Record<
    string,
    unknown
  >[];
  if (!rows[0]) throw notFound('webhook delivery', deliveryId);
  return deliveryOf(rows[0]);
}

const NEWEST_FIRST = newestFirst<WebhookDeliveryEntity>('wd', 'created_at', (d) => d.createdAt);

/** An endpoint's deliveries, newest first (keyset). The endpoint was found through the viewer. */
export async function listDeliveries(
  ctx: Context,
  endpointId: string,
  args: { first: number; after?: string | null },
): Promise<Page<WebhookDeliveryEntity>> {
  const first = checkFirst(args.first);
  const ofEndpoint = () => {
    const where = new Conditions();
    return where.and(`wd.endpoint_id = ${where.bind(endpointId)}`);
  };
  return keysetSqlPage({
    ds: ctx.app.ds,
    select: SELECT_DELIVERIES,
    conditions: ofEndpoint(),
    tag: 'webhookDeliveries',
    keys: NEWEST_FIRST,
    first,
    after: args.after,
    count: () => countRows(ctx.app.ds, 'webhook_deliveries wd', ofEndpoint()),
    fromRaw: deliveryOf,
  });
}
