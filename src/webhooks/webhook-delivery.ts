import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../platform/config';
import type { QueueDefinition } from '../platform/jobs';
import { webhookDeliveriesTotal, webhookDeliverySeconds } from '../platform/metrics';
import { WEBHOOK_CHANNEL } from './webhook-events';
import { Agent, fetch } from 'undici';
import {
  AddressRefused,
  addressPolicy,
  assertPublicHost,
  publicOnlyLookup,
  type AddressPolicy,
} from './webhook-address';
import { signatureHeader } from './webhook-signing';
import {
  CLAIM_DELIVERIES,
  NEXT_DUE_MS,
  RECORD_DELIVERY_FAILED,
  RECORD_DELIVERY_SUCCEEDED,
} from './webhook.queries';

/*
 * Webhook deliveries as a queue of the job facility (platform/jobs.ts): the webhook_deliveries
 * outbox stays the record the API serves (status, attempts, last response, next attempt:
 * WebhookEndpoint.deliveries) and redelivers with the same event ID and body, so the facility
 * runs this feature's own claim over it rather than a job row per delivery.
 */

/** A claim holds a delivery this long beyond the attempt's timeout; then another process may retry it. */
const LEASE_MARGIN_MS = 10_000;

export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  lease_id: string;
}

/**
 * The `User-Agent` of every attempt: the product and its version, so a receiver can tell our
 * requests apart in its logs and firewall rules (undici would say `undici`). The version is
 * read from the package.json above this file (src/webhooks or dist/src/webhooks), once.
 */
export function webhookUserAgent(from: string = __dirname): string {
  for (let dir = path.resolve(from); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'disputes-api' && pkg.version) return `disputes-api-webhooks/${pkg.version}`;
  }
  throw new Error(`The package.json of disputes-api was not found above ${from}`);
}

/** The block or rule that refused a host's address, when that is why an attempt failed. */
function refusedRule(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown } | null)?.cause;
  for (const e of [err, cause]) if (e instanceof AddressRefused) return e.rule;
  return undefined;
}

type DeliveryConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'WEBHOOK_RETRY_BASE_SECONDS'
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_ALLOW_PRIVATE'
  | 'WEBHOOK_CONCURRENCY'
  | 'WEBHOOK_TIMEOUT_MS'
>;

/**
 * Claims due deliveries with a lease (SKIP LOCKED, so instances share the work and never run
 * one delivery twice at once), sends each with its signature, and records the outcome with
 * rule 17's backoff. At most WEBHOOK_CONCURRENCY attempts run at once, and one endpoint holds
 * at most half of them, so a slow receiver cannot starve the others.
 */
export class WebhookDeliveries implements QueueDefinition<ClaimedDelivery> {
  readonly channel = WEBHOOK_CHANNEL;
  readonly concurrency: number;
  private readonly policy: AddressPolicy;
  private readonly userAgent = webhookUserAgent();
  private readonly dispatcher: Agent | undefined;
  private readonly perEndpointCap: number;

  constructor(
    private readonly deps: {
      ds: DataSource;
      log: Logger;
      config: DeliveryConfig;
      now: () => Date;
    },
  ) {
    this.policy = addressPolicy(deps.config);
    // With addresses checked, every connection resolves its host through the same check.
    this.dispatcher = this.policy.checkAddresses
      ? new Agent({ connect: { lookup: publicOnlyLookup } })
      : undefined;
    this.concurrency = deps.config.WEBHOOK_CONCURRENCY;
    this.perEndpointCap = Math.max(1, Math.ceil(deps.config.WEBHOOK_CONCURRENCY / 2));
  }

  groupOf(delivery: ClaimedDelivery): string {
    return delivery.endpoint_id;
  }

  groupCap(): number {
    return this.perEndpointCap;
  }

  /** After the attempts in flight ended (each bounded by its timeout). */
  async close(): Promise<void> {
    await this.dispatcher?.close().catch(() => undefined);
  }

  /**
   * One statement: per endpoint its oldest due deliveries, at most `perEndpointCap` less those
   * in flight here (one index probe per endpoint, so a deep backlog of one endpoint is never
   * all the claim sees), each endpoint's first before anyone's second; locked with SKIP LOCKED and leased
   * (attempts + 1, next_attempt_at = now + lease), so a process that dies mid-attempt leaves a
   * lease that expires and another instance tries again. The re-checked status and time keep
   * a delivery that another instance has just leased out of this claim.
   */
  async claim(limit: number, busy: ReadonlyMap<string, number>): Promise<ClaimedDelivery[]> {
    const leaseMs = this.deps.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
    const [rows] = (await this.deps.ds.query(CLAIM_DELIVERIES, [
      limit,
      this.perEndpointCap,
      JSON.stringify(Object.fromEntries(busy)),
      leaseMs,
    ])) as [ClaimedDelivery[], number];
    return rows;
  }

  /**
   * When the next delivery comes due (a retry, or another process's expired lease), leaving
   * out the endpoints that hold all their slots here.
   */
  async nextDueMs(full: readonly string[]): Promise<number | null> {
    const [row] = (await this.deps.ds.query(NEXT_DUE_MS, [full])) as {
      ms: string | number | null;
    }[];
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  /** One attempt and its outcome; returns the milliseconds until a retry is due, if any. */
  async run(delivery: ClaimedDelivery): Promise<number | void> {
    return this.attempt(delivery);
  }

  /** One POST of the stored body with rule 17's headers, then its outcome recorded. */
  private async attempt(d: ClaimedDelivery): Promise<number | void> {
    const signal = AbortSignal.timeout(this.deps.config.WEBHOOK_TIMEOUT_MS);
    let status: number | null = null;
    try {
      const url = new URL(d.url);
      // Re-checked before each attempt: the name may resolve elsewhere since it was created.
      if (this.policy.checkAddresses) await assertPublicHost(url, signal);
      const t = Math.floor(this.deps.now().getTime() / 1000);
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.userAgent,
          'disputes-event-id': d.event_id,
          'disputes-event-type': d.event_type,
          'disputes-signature': signatureHeader(d.secret, d.body, t),
        },
        body: d.body,
        // A redirect is a failure, recorded with its status, and never followed.
        redirect: 'manual',
        signal,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const ids = { deliveryId: d.id, endpointId: d.endpoint_id };
      this.deps.log.info(
        { ...ids, reason: e.cause?.code ?? e.name },
        'webhook attempt got no answer',
      );
      // The block its address lies in, never the address: enough to tell why, at debug only.
      const rule = refusedRule(err);
      if (rule) this.deps.log.debug({ ...ids, rule }, 'webhook host refused: not a public address');
    }
    return this.record(d, status);
  }

  /**
   * Only the claim that holds the lease records (a late one after its lease expired does not).
   * Returns the milliseconds until the retry, when there is one.
   */
  private async record(d: ClaimedDelivery, status: number | null): Promise<number | void> {
    const ok = status !== null && status >= 200 && status < 300;
    if (ok) {
      const [rows] = (await this.deps.ds.query(RECORD_DELIVERY_SUCCEEDED, [
        d.id,
        d.lease_id,
        status,
      ])) as [{ seconds: string | number }[], number];
      webhookDeliveriesTotal.inc({ outcome: 'succeeded' });
      if (rows[0]) webhookDeliverySeconds.observe(Number(rows[0].seconds));
      return;
    }
    const last = d.attempts >= this.deps.config.WEBHOOK_MAX_ATTEMPTS;
    const delaySeconds = this.deps.config.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (d.attempts - 1);
    await this.deps.ds.query(RECORD_DELIVERY_FAILED, [
      d.id,
      d.lease_id,
      last ? 'FAILED' : 'PENDING',
      status,
      delaySeconds,
    ]);
    webhookDeliveriesTotal.inc({ outcome: last ? 'failed' : 'retried' });
    if (!last) return delaySeconds * 1000;
  }
}
