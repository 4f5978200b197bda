import type { Span, Tracer } from '@opentelemetry/api';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';

/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: one span per GraphQL operation, over HTTP or
 * WebSocket, named by its type and name and carrying its outcome code, and one child span per
 * SQL statement it runs. The SDK is loaded by startTracing, never on import, so a process
 * without the variable loads none of it and pays one `undefined` check per operation.
 */

type OtelApi = typeof import('@opentelemetry/api');

interface Active {
  api: OtelApi;
  tracer: Tracer;
}

let active: Active | undefined;

export type Transport = 'http' | 'ws';

/** How an operation ended, as counted in the metrics too. */
export interface OperationOutcome {
  /** `query`, `mutation` or `subscription`; absent when the operation was never identified. */
  type?: string;
  name?: string | null;
  /** `OK` or the contract's error code the client saw first. */
  code: string;
}

/** One operation's span. */
export interface OperationTrace {
  /** Runs `fn` with this span as the active one, so the SQL it runs nests under it. */
  run<T>(fn: () => T): T;
  /** Names the span after the operation, records the outcome and ends it (once). */
  end(outcome: OperationOutcome): void;
}

/** Attribute names: the semantic conventions' where they exist. */
const ATTR = {
  operationType: 'graphql.operation.type',
  operationName: 'graphql.operation.name',
  outcome: 'disputes.outcome.code',
  transport: 'disputes.transport',
  dbSystem: 'db.system.name',
  dbQuery: 'db.query.text',
  dbOperation: 'db.operation.name',
} as const;

/** Whether OTLP export is configured in this environment. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** True once startTracing has set up the SDK. */
export function tracingOn(): boolean {
  return active !== undefined;
}

/**
 * Loads and registers the SDK with a batching OTLP/HTTP (JSON) exporter when the environment
 * asks for it; the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
 * Returns the flush-and-stop step for shutdown, or undefined when tracing stays off.
 */
export async function startTracing(
  serviceName: string,
  log: Logger,
): Promise<(() => Promise<void>) | undefined> {
  if (active || !tracingConfigured()) return undefined;
  const [api, node, exporterPkg, resources, semconv] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const provider = new node.NodeTracerProvider({
    resource: resources
      .defaultResource()
      .merge(resources.detectResources({ detectors: [resources.envDetector] }))
      .merge(resources.resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: serviceName })),
    spanProcessors: [new node.BatchSpanProcessor(new exporterPkg.OTLPTraceExporter())],
  });
  // Registers the AsyncLocalStorage context manager that carries a span to the SQL under it.
  provider.register();
  active = { api, tracer: api.trace.getTracer('disputes-api') };
  log.info({ serviceName }, 'OpenTelemetry tracing on');
  return async () => {
    active = undefined;
    await provider.shutdown().catch((err: unknown) => log.warn({ err }, 'trace export failed'));
  };
}

class SpanTrace implements OperationTrace {
  private ended = false;
  constructor(
    private readonly a: Active,
    readonly span: Span,
  ) {}

  run<T>(fn: () => T): T {
    const { api } = this.a;
    return api.context.with(api.trace.setSpan(api.context.active(), this.span), fn);
  }

  end({ type, name, code }: OperationOutcome): void {
    if (this.ended) return;
    this.ended = true;
    const { api } = this.a;
    this.span.updateName(type ? `${type}${name ? ` ${name}` : ''}` : 'graphql unresolved');
    if (type) this.span.setAttribute(ATTR.operationType, type);
    if (name) this.span.setAttribute(ATTR.operationName, name);
    this.span.setAttribute(ATTR.outcome, code);
    if (code !== 'OK') this.span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
    this.span.end();
  }
}

/** Operation spans of the current context, so the HTTP plugin finds the span answerGraphql opened. */
const traces = new WeakMap<Span, SpanTrace>();

/** A new operation span (a root span), or undefined when tracing is off. */
export function startOperationTrace(transport: Transport): OperationTrace | undefined {
  if (!active) return undefined;
  const span = active.tracer.startSpan(
    'graphql',
    { kind: active.api.SpanKind.SERVER, attributes: { [ATTR.transport]: transport } },
    // A root: a WebSocket operation must not nest under whatever context the socket started in.
    active.api.ROOT_CONTEXT,
  );
  const trace = new SpanTrace(active, span);
  traces.set(span, trace);
  return trace;
}

/** The operation span the caller runs under, if any. */
export function currentOperationTrace(): OperationTrace | undefined {
  if (!active) return undefined;
  const span = active.api.trace.getActiveSpan();
  return span && traces.get(span);
}

const instrumented = new WeakSet<PoolClient>();

/**
 * Makes each connection of `pool` open a child span per statement run under an operation span
 * (statements outside any operation, e.g. the live-events listener's, are not traced). The
 * statement's text goes in the span, never its parameters, which hold client text. Does
 * nothing while tracing is off.
 */
export function traceSqlOf(pool: Pool): void {
  if (!active) return;
  pool.on('acquire', (client) => {
    if (instrumented.has(client)) return;
    instrumented.add(client);
    const original = client.query;
    client.query = function tracedQuery(this: PoolClient, ...args: unknown[]) {
      const a = active;
      const parent = a?.api.trace.getActiveSpan();
      const text = typeof args[0] === 'string' ? args[0] : undefined;
      // Callback and stream forms (none used by the app) pass through untraced.
      if (!a || !parent || text === undefined || typeof args[args.length - 1] === 'function') {
        return (original as (...x: unknown[]) => unknown).apply(this, args);
      }
      const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
      const span = a.tracer.startSpan(verb, {
        kind: a.api.SpanKind.CLIENT,
        attributes: {
          [ATTR.dbSystem]: 'postgresql',
          [ATTR.dbOperation]: verb,
          [ATTR.dbQuery]: text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text,
        },
      });
      const result = (original as (...x: unknown[]) => unknown).apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          () => span.end(),
          (err: unknown) => {
            span.setStatus({
              code: a.api.SpanStatusCode.ERROR,
              message: String((err as { code?: unknown }).code ?? 'error'),
            });
            span.end();
          },
        );
      } else span.end();
      return result;
    } as typeof client.query;
  });
}
