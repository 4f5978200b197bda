import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode } from './errors';

/**
 * The process's Prometheus metrics, served at /metrics (src/app/metrics.routes.ts). Values that
 * cost a query or a look at the pool are read on scrape (configureScrapeSources), never on the
 * request path; the request path pays one counter increment and one histogram observation per
 * operation.
 */
export const registry = new Registry();

export const operationsTotal = new Counter({
  name: 'disputes_graphql_operations_total',
  help:
    'GraphQL operations by operation name, type, outcome (OK or the first error code) and transport ' +
    '(http, or ws for WebSocket; a subscription counts once, when it starts or is refused). A name ' +
    'is its own series once an operation of that name succeeded for a signed-in user (200 names at ' +
    'most); before that, and without a signed-in user, it is counted as other.',
  labelNames: ['operation', 'type', 'code', 'transport'] as const,
  registers: [registry],
});

export const operationSeconds = new Histogram({
  name: 'disputes_graphql_operation_duration_seconds',
  help:
    'Time from receiving a GraphQL operation to sending its answer (for a subscription: to its ' +
    'start or refusal), by operation name, type and transport.',
  labelNames: ['operation', 'type', 'transport'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const documentsCompiled = new Counter({
  name: 'disputes_graphql_documents_compiled_total',
  help:
    'HTTP operations compiled to JavaScript (graphql-jit), on the second run of their document; ' +
    'compiled code is kept for the 500 most recently used documents.',
  registers: [registry],
});

/** Codes counted as they are; anything else is counted as INTERNAL_SERVER_ERROR. */
const COUNTED_CODES = new Set<string>(Object.values(ErrorCode));

/** The outcome label of an operation: OK without errors, else its first error's contract code. */
export function outcomeCode(errors: readonly unknown[] | undefined, firstCode: unknown): string {
  if (!errors?.length) return 'OK';
  return typeof firstCode === 'string' && COUNTED_CODES.has(firstCode)
    ? firstCode
    : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** One operation's outcome, as countOperation takes it. */
export type CountedOperation = {
  /** From operationLabel, or `unresolved` when the request never named a valid operation. */
  operation: string;
  /** `query`, `mutation`, `subscription`, or `unknown` when never identified. */
  type: string;
  code: string;
  seconds: number;
} & (
  | {
      transport: 'http';
      /** A viewer was authenticated: only then may the operation's name become a label. */
      signedIn: boolean;
    }
  | {
      transport: 'ws';
      /** Always: a WebSocket connection is accepted only with a user, so its operations are signed in. */
      signedIn?: true;
    }
);

/**
 * Counts one operation, over either transport, and observes its duration. Its name becomes a
 * label only as countedName allows; otherwise it is counted as `other`.
 */
export function countOperation(o: CountedOperation): void {
  const operation = countedName(o.operation, {
    signedIn: o.transport === 'ws' || o.signedIn,
    ok: o.code === 'OK',
  });
  operationsTotal.inc({ operation, type: o.type, code: o.code, transport: o.transport });
  operationSeconds.observe({ operation, type: o.type, transport: o.transport }, o.seconds);
}

export const websocketConnections = new Gauge({
  name: 'disputes_websocket_connections',
  help: 'Open WebSocket connections (accepted past the per-address cap).',
  registers: [registry],
});

export const websocketSubscriptions = new Gauge({
  name: 'disputes_websocket_subscriptions',
  help: 'Operations running on open WebSocket connections (subscriptions, mostly).',
  registers: [registry],
});

export const liveEventsSent = new Counter({
  name: 'disputes_live_events_sent_total',
  help: 'Values handed to subscription operations, by subscription field.',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const webhookDeliveriesTotal = new Counter({
  name: 'disputes_webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome: succeeded (2xx), retried (failed, tried again later) or failed (last attempt failed).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const webhookDeliverySeconds = new Histogram({
  name: 'disputes_webhook_delivery_seconds',
  help: 'Time from a webhook delivery being written (with its change) to its 2xx answer.',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [registry],
});

export const jobRunsTotal = new Counter({
  name: 'disputes_job_runs_total',
  help:
    'Runs of background jobs (platform/jobs.ts) by task and outcome: succeeded, retried (failed, ' +
    'tried again later), failed (given up, or a periodic slot skipped), released (handed back ' +
    'when the process stopped) or lost (its lease was taken over while it ran).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

/** Operation names kept as label values; later names share one series, so clients cannot grow the registry. */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();
/** Labels that are not client-chosen names: unnamed, never identified, not (yet) a kept name. */
const FIXED_LABELS = new Set(['anonymous', 'unresolved', 'other']);

/**
 * The name an operation is reported under to countOperation: its own, or `anonymous` when it has
 * none. Whether that name becomes a label is decided when the outcome is known (countedName).
 */
export function operationLabel(name: string | null | undefined): string {
  return name || 'anonymous';
}

/**
 * The label an operation is counted under. Names are chosen by clients, so a name becomes a label
 * only once an operation of that name succeeded for a signed-in user (while fewer than
 * MAX_OPERATION_NAMES are kept): until then, and for every request without a viewer, it is
 * `other`. Anonymous requests thus cannot take the slots that the application's own operations
 * are counted in, nor show their own names on /metrics.
 */
export function countedName(name: string, outcome: { signedIn: boolean; ok: boolean }): string {
  if (FIXED_LABELS.has(name)) return name;
  if (!outcome.signedIn) return 'other';
  if (operationNames.has(name)) return name;
  if (!outcome.ok || operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(name);
  return name;
}

/** pg.Pool's counters. */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

interface ScrapeSources {
  /** Disputes waiting for a decision, all accounts: one count query. */
  pendingDisputes(): Promise<number>;
  pool(): PoolCounts | undefined;
}

let sources: ScrapeSources | undefined;
/** How long a scrape waits for the pending count; a scrape must answer even when the database does not. */
const SCRAPE_QUERY_TIMEOUT_MS = 1_000;

// The pool is read before the count below takes a connection from it (collected in this order).
const poolGauge = (name: string, help: string, read: (p: PoolCounts) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const pool = sources?.pool();
      if (pool) this.set(read(pool));
    },
  });
poolGauge('disputes_db_pool_connections', 'Connections the API pool holds.', (p) => p.totalCount);
poolGauge(
  'disputes_db_pool_idle_connections',
  'Idle connections in the API pool.',
  (p) => p.idleCount,
);
poolGauge(
  'disputes_db_pool_waiting_requests',
  'Requests waiting for a connection of the API pool.',
  (p) => p.waitingCount,
);

new Gauge({
  name: 'disputes_pending_disputes',
  help: 'Disputes in status PENDING, all accounts; NaN when the count did not answer within 1 s.',
  registers: [registry],
  async collect() {
    if (!sources) return;
    let timer: NodeJS.Timeout | undefined;
    const value = await Promise.race([
      sources.pendingDisputes().catch(() => NaN),
      new Promise<number>((resolve) => {
        timer = setTimeout(() => resolve(NaN), SCRAPE_QUERY_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.set(value);
  },
});

let defaultsOn = false;

/**
 * What the scrape-time gauges read, and Node's default process metrics. Called by the server
 * (not on import), so CLI commands that load the same modules measure nothing.
 */
export function configureScrapeSources(next: ScrapeSources): void {
  sources = next;
  if (!defaultsOn) {
    defaultsOn = true;
    collectDefaultMetrics({ register: registry });
  }
}
