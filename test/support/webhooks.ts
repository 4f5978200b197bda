import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { Client } from './client';
import { db } from './seed';
import { readTestEnv, ROOT, startApiProcess, storeEnv, type ApiProcess } from './services';
import {
  CreateDisputeIdDocument,
  CreateWebhookEndpointDocument,
  ResolveDisputeDocument,
  WebhookEndpointDocument,
  type WebhookEventType,
} from '../generated/graphql';
import type { WebhookPayload } from '../../src/webhooks/webhook-events';
import type { WebhookEventName } from '../../src/webhooks/webhook.entity';

/** The receivers' verification: the example of docs/webhooks.md, run on every delivery. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyWebhook } = require(path.join(ROOT, 'examples', 'webhook-receiver', 'verify.js')) as {
  verifyWebhook: (secret: string, rawBody: string, signature: string) => WebhookPayload;
};

// ---------------------------------------------------------------- a database of its own

/**
 * Webhook tests run their own API processes (with small retry delays) on a database of their
 * own, so no other process of the suite claims their deliveries and no other test's disputes
 * reach their platform endpoints.
 */
export async function isolatedDatabase(label: string) {
  const name = `webhooks_${label}_${Date.now()}`;
  await db().query(`CREATE DATABASE ${name}`);
  const url = new URL(readTestEnv().databaseUrl);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  // Dropping the database ends its sessions; an idle client reporting that is expected.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await db().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function startWebhookApi(databaseUrl: string, env: Record<string, string> = {}) {
  return startApiProcess({
    DATABASE_URL: databaseUrl,
    ...storeEnv(),
    WEBHOOK_RETRY_BASE_SECONDS: '0.3',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_TIMEOUT_MS: '1000',
    ...env,
  });
}

/** Accounts A, B and C, a buyer user with DISPUTE_CALLS in each, and the manager roles. */
export async function seedWebhookWorld(pool: Pool, apiUrl: string) {
  const id = () => randomUUID();
  const ids = {
    accountA: id(),
    accountB: id(),
    accountC: id(),
    campaign: id(),
    buyerA: id(),
    buyerB: id(),
    buyerC: id(),
    buyerANoPerm: id(),
    viewManager: id(),
    editManager: id(),
  };
  for (const [account, name] of [
    [ids.accountA, 'Acme'],
    [ids.accountB, 'Globex'],
    [ids.accountC, 'Initech'],
  ] as const) {
    await pool.query(
      `INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES ($1, $2, 72, 'USD')`,
      [account, name],
    );
  }
  await pool.query(`INSERT INTO campaigns (id, name) VALUES ($1, 'Campaign')`, [ids.campaign]);
  const users: [string, string, string | null, string[]][] = [
    [ids.buyerA, 'BUYER', ids.accountA, ['DISPUTE_CALLS']],
    [ids.buyerB, 'BUYER', ids.accountB, ['DISPUTE_CALLS']],
    [ids.buyerC, 'BUYER', ids.accountC, ['DISPUTE_CALLS']],
    [ids.buyerANoPerm, 'BUYER', ids.accountA, []],
    [ids.viewManager, 'MANAGER', null, ['VIEW_DISPUTES']],
    [ids.editManager, 'MANAGER', null, ['VIEW_DISPUTES', 'EDIT_DISPUTES']],
  ];
  for (const [user, role, account, permissions] of users) {
    await pool.query(
      `INSERT INTO users (id, name, email, role, account_id, permissions) VALUES ($1, $2, $3, $4, $5, $6)`,
      [user, `User ${user.slice(0, 6)}`, `${user}@test.example`, role, account, permissions],
    );
  }
  const as = {
    buyerA: await Client.forUser(ids.buyerA, apiUrl),
    buyerB: await Client.forUser(ids.buyerB, apiUrl),
    buyerC: await Client.forUser(ids.buyerC, apiUrl),
    buyerANoPerm: await Client.forUser(ids.buyerANoPerm, apiUrl),
    viewManager: await Client.forUser(ids.viewManager, apiUrl),
    editManager: await Client.forUser(ids.editManager, apiUrl),
  };
  /** A disputable call of the account (started an hour ago, payout 25.00). */
  const newCall = async (accountId: string) => {
    const call = id();
    await pool.query(
      `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination,
         original_payout_minor, payout_minor, duration_seconds, status)
       VALUES ($1, $2, $3, now() - interval '1 hour', '+15551230001', '+18005550100', 2500, 2500,
         95, 'COMPLETED_WITH_CONVERSION')`,
      [call, accountId, ids.campaign],
    );
    return call;
  };
  return { ids, as, newCall };
}

export type WebhookWorld = Awaited<ReturnType<typeof seedWebhookWorld>>;

// ---------------------------------------------------------------- events through the API

/** dispute.created: a buyer disputes a new call of its account. Returns the dispute ID. */
export async function createDisputeEvent(w: WebhookWorld, buyer: Client, accountId: string) {
  const callId = await w.newCall(accountId);
  const { createDispute } = await buyer.run(CreateDisputeIdDocument, {
    input: { callId, reason: 'INVALID_CALLER' },
  });
  return createDispute.id;
}

/** dispute.resolved: the editing manager decides the dispute. */
export async function resolveDisputeEvent(
  w: WebhookWorld,
  disputeId: string,
  outcome: 'ACCEPTED' | 'ACCEPTED_PARTIAL' | 'REJECTED' = 'ACCEPTED_PARTIAL',
) {
  await w.as.editManager.run(ResolveDisputeDocument, {
    input: {
      disputeId,
      outcome,
      adjustmentAmount: outcome === 'ACCEPTED_PARTIAL' ? '5.00' : null,
      comment: 'Checked the recording.',
    },
  });
}

/** Creates an endpoint at the receiver's `route` and registers its secret there. */
export async function createEndpoint(
  client: Client,
  receiver: Receiver,
  route: string,
  events: WebhookEventType[] = [
    'DISPUTE_CREATED',
    'DISPUTE_RESOLVED',
    'DISPUTE_WITHDRAWN',
    'DISPUTE_COMMENTED',
  ],
) {
  const { createWebhookEndpoint } = await client.run(CreateWebhookEndpointDocument, {
    input: { url: receiver.url(route), events },
  });
  receiver.secrets.set(route, createWebhookEndpoint.secret);
  return createWebhookEndpoint.endpoint.id;
}

export async function deliveriesOf(client: Client, endpointId: string, first = 50) {
  const { webhookEndpoint } = await client.run(WebhookEndpointDocument, { id: endpointId, first });
  if (!webhookEndpoint) throw new Error(`endpoint ${endpointId} not visible`);
  return webhookEndpoint.deliveries.nodes;
}

/**
 * A delivery the worker is done with: it claims only PENDING ones, and only a redelivery makes
 * one PENDING again.
 */
export interface FinishedDelivery {
  /** The receiver's route its endpoint's URL names (the whole URL for another host). */
  route: string;
  eventId: string;
  type: WebhookEventName;
  status: 'SUCCEEDED' | 'FAILED';
  attempts: number;
}

/**
 * Every delivery of the events about these disputes, once none of them is PENDING: the fact
 * behind "nothing more will arrive". The worker counts a claim in `attempts` before it sends,
 * and records an outcome only after the request was answered or timed out, so by then every
 * request of a finished delivery has reached the receiver, and no other will follow. (A PENDING
 * delivery of an endpoint deleted meanwhile is deleted with it, so it is not listed.) Call it
 * after the changes that queue the events have returned: they queue them in their transaction.
 * Sorted by route, type and event ID.
 */
export async function finishedDeliveries(
  pool: Pool,
  receiver: Receiver,
  disputeIds: string[],
): Promise<FinishedDelivery[]> {
  return waitFor(`every delivery about ${disputeIds.length} dispute(s) finished`, async () => {
    const { rows } = await pool.query<{
      url: string;
      event_id: string;
      event_type: WebhookEventName;
      status: FinishedDelivery['status'] | 'PENDING';
      attempts: number;
    }>(
      `SELECT e.url, d.event_id, d.event_type, d.status, d.attempts
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.body::jsonb #>> '{data,dispute,id}' = ANY ($1::text[])`,
      [disputeIds],
    );
    if (rows.some((r) => r.status === 'PENDING')) return undefined;
    return rows
      .map((r) => ({
        route: receiver.routeOf(r.url),
        eventId: r.event_id,
        type: r.event_type,
        status: r.status as FinishedDelivery['status'],
        attempts: r.attempts,
      }))
      .sort((a, b) => deliveryKey(a).localeCompare(deliveryKey(b)));
  });
}

const deliveryKey = (d: { route: string; type: string; eventId: string }) =>
  `${d.route} ${d.type} ${d.eventId}`;

/**
 * The requests per delivery (route, type, event ID) that the receiver got about these disputes,
 * and the attempts the finished deliveries record, side by side: equal when every attempt
 * arrived once and nothing arrived that no delivery accounts for (a duplicate, a misrouted or
 * unsubscribed event).
 */
export function receivedAndRecorded(
  receiver: Receiver,
  disputeIds: string[],
  finished: FinishedDelivery[],
): { received: Record<string, number>; recorded: Record<string, number> } {
  const received: Record<string, number> = {};
  for (const r of receiver.received) {
    if (!disputeIds.includes(r.event.data.dispute.id)) continue;
    const key = deliveryKey({ route: r.route, type: r.event.type, eventId: r.event.id });
    received[key] = (received[key] ?? 0) + 1;
  }
  const recorded: Record<string, number> = {};
  for (const d of finished) recorded[deliveryKey(d)] = d.attempts;
  return { received, recorded };
}

// ---------------------------------------------------------------- the receiver

export interface Received {
  route: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  event: WebhookPayload;
  /** When the request arrived (ms since epoch). */
  at: number;
  /** When the server closed the request without an answer, if it did. */
  abandonedAt?: number;
}

/** What a route answers to its n-th request (0-based): a status, or `hang` (never answer). */
export type Behaviour = (n: number) => number | 'hang' | { status: number; location: string };

/**
 * A webhook receiver on loopback. Every request is verified with its route's secret by the
 * example verifier; one that fails verification fails the test (`problems`).
 */
export class Receiver {
  readonly secrets = new Map<string, string>();
  readonly received: Received[] = [];
  readonly problems: string[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly counts = new Map<string, number>();
  private readonly hanging = new Set<http.ServerResponse>();
  private server!: http.Server;
  private port = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  url(route: string): string {
    return `http://127.0.0.1:${this.port}/hooks/${route}`;
  }

  on(route: string, behaviour: Behaviour): void {
    this.behaviours.set(route, behaviour);
  }

  of(route: string): Received[] {
    return this.received.filter((r) => r.route === route);
  }

  /** The route a URL of this receiver names; another URL stays as it is. */
  routeOf(url: string): string {
    const base = this.url('');
    return url.startsWith(base) ? url.slice(base.length) : url;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = (req.url ?? '').replace(/^\/hooks\//, '');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const secret = this.secrets.get(route);
      let event: WebhookPayload;
      try {
        if (req.method !== 'POST') throw new Error(`method ${req.method}`);
        if (!secret) throw new Error('no secret for this route');
        event = verifyWebhook(secret, rawBody, String(req.headers['disputes-signature']));
      } catch (err) {
        this.problems.push(`${route}: ${(err as Error).message}`);
        res.writeHead(400).end();
        return;
      }
      const entry: Received = { route, headers: req.headers, rawBody, event, at: Date.now() };
      this.received.push(entry);
      const n = this.counts.get(route) ?? 0;
      this.counts.set(route, n + 1);
      const answer = (this.behaviours.get(route) ?? (() => 200))(n);
      if (answer === 'hang') {
        this.hanging.add(res);
        res.on('close', () => {
          entry.abandonedAt = Date.now();
          this.hanging.delete(res);
        });
        return;
      }
      if (typeof answer === 'number') res.writeHead(answer).end('ok');
      else res.writeHead(answer.status, { location: answer.location }).end();
    });
  }
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type { ApiProcess };
