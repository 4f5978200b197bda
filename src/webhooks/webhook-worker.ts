import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../platform/config';
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

/*
 * The delivery worker of every API process, over the webhook_deliveries outbox.
 *
 * Why not graphile-worker or pg-boss: both would keep a second copy of each delivery in their
 * own job tables, while rule 17 needs the delivery itself to be the record the API serves
 * (status, attempts, last response, next attempt: WebhookEndpoint.deliveries) and redelivered
 * with the same event id and body. Their retry policies are their own (graphile-worker's is
 * exp(min(attempts, 10)) seconds, pg-boss's a retryDelay with its own backoff and jitter), not
 * WEBHOOK_RETRY_BASE_SECONDS × 2^(attempts − 1); and graphile-worker needs its own schema and
 * migrations beside ours. The core they offer, a `FOR UPDATE SKIP LOCKED` claim woken by
 * LISTEN/NOTIFY, is one statement here, on the same table the transition writes in its own
 * transaction.
 */

/** The safety net beside NOTIFY: a missed notification (listener reconnecting) waits this long. */
const POLL_MS = 5_000;
/** A claim holds a delivery this long beyond the attempt's timeout; then another process may retry it. */
const LEASE_MARGIN_MS = 10_000;
const LISTEN_RETRY_MS = 1_000;

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

type WorkerConfig = Pick<
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
export class WebhookWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private readonly policy: AddressPolicy;
  private readonly userAgent = webhookUserAgent();
  private readonly dispatcher: Agent | undefined;
  private readonly perEndpointCap: number;
  private readonly claimBatch: number;
  private listener: Client | null = null;
  private stopped = false;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private listenTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      ds: DataSource;
      log: Logger;
      config: WorkerConfig;
      databaseUrl: string;
      now: () => Date;
    },
  ) {
    this.policy = addressPolicy(deps.config);
    // With addresses checked, every connection resolves its host through the same check.
    this.dispatcher = this.policy.checkAddresses
      ? new Agent({ connect: { lookup: publicOnlyLookup } })
      : undefined;
    this.perEndpointCap = Math.max(1, Math.ceil(deps.config.WEBHOOK_CONCURRENCY / 2));
    this.claimBatch = Math.max(1, Math.floor(deps.config.WEBHOOK_CONCURRENCY / 4));
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.pollTimer = setInterval(() => this.wake(), POLL_MS);
    this.pollTimer.unref();
    this.wake();
  }

  /** Stops claiming and waits for the attempts in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.dueTimer);
    clearTimeout(this.listenTimer);
    const listener = this.listener;
    this.listener = null;
    if (listener) await listener.end().catch(() => undefined);
    await this.claiming;
    await Promise.allSettled([...this.inFlight.values()]);
    await this.dispatcher?.close().catch(() => undefined);
  }

  /** Looks for due deliveries now (a NOTIFY, a freed slot, a retry coming due, the poll). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimWhileFree()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'webhook claim failed'))
      .finally(() => {
        this.claiming = null;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        }
      });
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.deps.databaseUrl,
      application_name: `disputes-api-webhooks pid=${process.pid}`,
      keepAlive: true,
    });
    const lost = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      this.listenAgainLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
      this.listener = client;
      // Notifications sent while nobody listened are gone: look once.
      this.wake();
    } catch (err) {
      this.deps.log.warn({ err }, 'webhook listener could not connect; polling until it does');
      await client.end().catch(() => undefined);
      this.listenAgainLater();
    }
  }

  private listenAgainLater(): void {
    if (this.stopped) return;
    this.listenTimer = setTimeout(() => void this.listen(), LISTEN_RETRY_MS);
    this.listenTimer.unref();
  }

  private async claimWhileFree(): Promise<void> {
    while (!this.stopped) {
      const free = this.deps.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
      // Slots are refilled in batches: one claim statement per freed slot would cost more
      // database time than the deliveries themselves under a backlog.
      if (free <= 0 || (free < this.claimBatch && this.inFlight.size > 0)) return;
      const claimed = await this.claim(free);
      for (const delivery of claimed) this.run(delivery);
      if (claimed.length < free) {
        await this.wakeWhenDue();
        return;
      }
    }
  }

  /**
   * One statement: per endpoint its oldest due deliveries, at most `perEndpointCap` less those
   * in flight here (one index probe per endpoint, so a deep backlog of one endpoint is never
   * all the claim sees), each endpoint's first before anyone's second; locked with SKIP LOCKED and leased
   * (attempts + 1, next_attempt_at = now + lease), so a process that dies mid-attempt leaves a
   * lease that expires and another instance tries again. The re-checked status and time keep
   * a delivery that another instance has just leased out of this claim.
   */
  async claim(limit: number): Promise<ClaimedDelivery[]> {
    const leaseId = randomUUID();
    const leaseMs = this.deps.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
    const busy = Object.fromEntries(this.perEndpoint);
    const [rows] = (await this.deps.ds.query(
      `WITH candidates AS (
         SELECT c.id, c.next_attempt_at, c.rn
           FROM webhook_endpoints e
          CROSS JOIN LATERAL (
                SELECT d.id, d.next_attempt_at,
                       row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS rn
                  FROM webhook_deliveries d
                 WHERE d.endpoint_id = e.id AND d.status = 'PENDING'
                   AND d.next_attempt_at <= now()
                 ORDER BY d.next_attempt_at, d.id
                 LIMIT GREATEST($2::int - coalesce(($3::jsonb ->> e.id::text)::int, 0), 0)) c
          -- A deleted endpoint gets no further attempts.
          WHERE e.deleted_at IS NULL),
       picked AS (
         SELECT d.id
           FROM webhook_deliveries d
           JOIN candidates r ON r.id = d.id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
          ORDER BY r.rn, r.next_attempt_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now(), lease_id = $4,
              next_attempt_at = now() + $5 * interval '1 millisecond'
         FROM picked, webhook_endpoints e
        WHERE d.id = picked.id AND e.id = d.endpoint_id
      RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, d.lease_id,
                e.url, e.secret`,
      [limit, this.perEndpointCap, JSON.stringify(busy), leaseId, leaseMs],
    )) as [ClaimedDelivery[], number];
    return rows;
  }

  /** Sets a timer for the next delivery coming due (a retry, or another process's expired lease). */
  private async wakeWhenDue(): Promise<void> {
    const [row] = (await this.deps.ds.query(
      `SELECT EXTRACT(EPOCH FROM min(d.next_attempt_at) - now()) * 1000 AS ms
         FROM webhook_deliveries d
        WHERE d.status = 'PENDING'
          AND EXISTS (SELECT 1 FROM webhook_endpoints e
                       WHERE e.id = d.endpoint_id AND e.deleted_at IS NULL)`,
    )) as { ms: string | number | null }[];
    clearTimeout(this.dueTimer);
    if (row?.ms === null || row?.ms === undefined) return;
    const ms = Math.min(POLL_MS, Math.max(0, Number(row.ms)) + 5);
    this.dueTimer = setTimeout(() => this.wake(), ms);
    this.dueTimer.unref();
  }

  private run(delivery: ClaimedDelivery): void {
    this.perEndpoint.set(
      delivery.endpoint_id,
      (this.perEndpoint.get(delivery.endpoint_id) ?? 0) + 1,
    );
    const done = this.attempt(delivery)
      .catch((err: unknown) =>
        this.deps.log.error({ err, deliveryId: delivery.id }, 'webhook attempt not recorded'),
      )
      .finally(() => {
        this.inFlight.delete(delivery.id);
        const left = (this.perEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(delivery.endpoint_id, left);
        else this.perEndpoint.delete(delivery.endpoint_id);
        this.wake();
      });
    this.inFlight.set(delivery.id, done);
  }

  /** One POST of the stored body with rule 17's headers, then its outcome recorded. */
  private async attempt(d: ClaimedDelivery): Promise<void> {
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
    await this.record(d, status);
  }

  /** Only the claim that holds the lease records (a late one after its lease expired does not). */
  private async record(d: ClaimedDelivery, status: number | null): Promise<void> {
    const ok = status !== null && status >= 200 && status < 300;
    if (ok) {
      const [rows] = (await this.deps.ds.query(
        `UPDATE webhook_deliveries
            SET status = 'SUCCEEDED', next_attempt_at = NULL, lease_id = NULL,
                last_response_status = $3
          WHERE id = $1 AND lease_id = $2
        RETURNING EXTRACT(EPOCH FROM clock_timestamp() - created_at) AS seconds`,
        [d.id, d.lease_id, status],
      )) as [{ seconds: string | number }[], number];
      webhookDeliveriesTotal.inc({ outcome: 'succeeded' });
      if (rows[0]) webhookDeliverySeconds.observe(Number(rows[0].seconds));
      return;
    }
    const last = d.attempts >= this.deps.config.WEBHOOK_MAX_ATTEMPTS;
    const delaySeconds = this.deps.config.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (d.attempts - 1);
    await this.deps.ds.query(
      `UPDATE webhook_deliveries
          SET status = $3, lease_id = NULL, last_response_status = $4,
              next_attempt_at = CASE WHEN $3 = 'PENDING'
                THEN now() + $5 * interval '1 second' END
        WHERE id = $1 AND lease_id = $2`,
      [d.id, d.lease_id, last ? 'FAILED' : 'PENDING', status, delaySeconds],
    );
    webhookDeliveriesTotal.inc({ outcome: last ? 'failed' : 'retried' });
    if (!last && delaySeconds * 1000 < POLL_MS) {
      // A retry due before the next poll: look for it when it is due.
      const timer = setTimeout(() => this.wake(), delaySeconds * 1000 + 5);
      timer.unref();
    }
  }
}
