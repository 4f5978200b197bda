import { z } from 'zod';
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from './client-address';

/** Why the process refuses to start: names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  S3_ENDPOINT: url(['http', 'https']).optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .default('disputes'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DEMO_DATA: boolish.default(true),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Adds `extensions.sqlStatements` to each response: how many SQL statements it cost. */
  SQL_STATS: boolish.default(false),
  /**
   * HTTP operations run as code compiled per document (graphql-jit) from their second run;
   * `false` runs every operation through graphql-js's interpreter.
   */
  COMPILED_EXECUTION: boolish.default(true),
  /** PostgreSQL's statement_timeout and idle_in_transaction_session_timeout for the API's pool. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** How long a request waits for a pooled connection, or for a new one to open, before failing. */
  DB_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Connections in the API's pool (the live-events listener holds one more). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(1_000).default(20),
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut off. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Browser origins allowed to call the API, comma-separated, or `*`; default `*` outside production. */
  CORS_ORIGINS: z.string().optional(),
  /** Evidence never bound to a dispute is deleted after this many hours. */
  EVIDENCE_TTL_HOURS: z.coerce.number().positive().default(24),
  /** Open WebSocket connections one user may hold; the next is closed with 4429. */
  WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().positive().default(20),
  /**
   * Open WebSocket connections from one client address (the TCP peer, or behind a TRUST_PROXY
   * proxy the address it forwards); the next is closed with 4429.
   */
  WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().positive().default(200),
  /** Bytes a WebSocket may have waiting to be sent; a client that falls further behind is closed with 4429. */
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** A new dispute's reviewDueAt is its createdAt plus this many hours (rule 14); above 0. */
  REVIEW_SLA_HOURS: z.coerce.number().positive().max(87_600).default(48),
  /** A decision may be reopened while it is at most this many hours old (rule 20); above 0. */
  REOPEN_WINDOW_HOURS: z.coerce.number().positive().max(87_600).default(168),
  /** Exports and their files are removed this many hours after they finish (rule 19); above 0. */
  EXPORT_RETENTION_HOURS: z.coerce.number().positive().max(87_600).default(24),
  /**
   * Milliseconds added to the server's clock (app.now()), so tests can move it past review
   * deadlines and windows. Refused with NODE_ENV=production.
   */
  CLOCK_OFFSET_MS: z.coerce.number().int().safe().default(0),
  /** Webhooks: the first retry waits this many seconds, each later one twice the previous. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().positive().max(86_400).default(30),
  /** Webhooks: attempts of one delivery before it is FAILED. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** Webhooks: in production, allow endpoints whose host resolves to a private address. */
  WEBHOOK_ALLOW_PRIVATE: boolish.default(false),
  /** Webhooks: attempts one process runs at once (one endpoint takes at most half of them). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(32),
  /** Webhooks: an attempt without an answer is cut after this (rule 17: 10 s; lower for tests). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(10_000),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** When set, /metrics is served on a listener of its own at METRICS_HOST:METRICS_PORT, and not on PORT. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** The metrics listener's address; loopback unless the operator opens it further. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Proxies (addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` names the client
   * for per-address limits; unset, the TCP peer is the client.
   */
  TRUST_PROXY: z.string().optional(),
  /** Call.duplicateOf looks this many hours back for an earlier call from the same caller (rule 15). */
  DUPLICATE_WINDOW_HOURS: z.coerce.number().positive().default(24),
  /** When set, traces of operations and SQL go to this OTLP/HTTP collector (platform/tracing.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional(),
  /** The traces' `service.name`. */
  OTEL_SERVICE_NAME: z.string().min(1).default('disputes-api'),
});

export type Config = Omit<z.infer<typeof envSchema>, 'JWT_SECRET' | 'CORS_ORIGINS'> & {
  JWT_SECRET: string;
  /** TRUST_PROXY, read (platform/client-address.ts); none when unset. */
  trustedProxies: TrustedProxies;
  /** Allowed browser origins; `['*']` allows any. Bearer tokens, not cookies, so `*` is safe. */
  corsOrigins: string[];
  /** True when the process runs its own PostgreSQL (no DATABASE_URL). */
  embeddedDatabase: boolean;
  /** True when the process runs its own S3-compatible store (no S3_ENDPOINT). */
  embeddedStore: boolean;
};

/** Used only outside production, so a fresh clone runs with no setup; tokens are then local-only. */
export const DEV_JWT_SECRET = 'disputes-api-local-development-secret';

/** Reads and validates the environment once; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.NODE_ENV === 'production') {
    for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'JWT_SECRET'] as const) {
      if (!c[name]) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  if (c.NODE_ENV === 'production' && c.CLOCK_OFFSET_MS !== 0) {
    problems.push('CLOCK_OFFSET_MS: only for tests; not allowed when NODE_ENV=production');
  }
  // The pending count and the operations of the whole platform are not for whoever reaches PORT.
  if (c.NODE_ENV === 'production' && !c.METRICS_TOKEN && c.METRICS_PORT === undefined) {
    problems.push(
      'METRICS_TOKEN or METRICS_PORT: one is required when NODE_ENV=production (a token for /metrics, or a listener of its own, on 127.0.0.1 unless METRICS_HOST says otherwise)',
    );
  }
  if (c.METRICS_PORT !== undefined && c.METRICS_PORT === c.PORT) {
    problems.push('METRICS_PORT: must differ from PORT');
  }
  let trustedProxies = NO_TRUSTED_PROXIES;
  try {
    if (c.TRUST_PROXY) trustedProxies = parseTrustedProxies(c.TRUST_PROXY);
  } catch (err) {
    problems.push(`TRUST_PROXY: ${(err as Error).message}`);
  }
  if (c.S3_ENDPOINT && (!c.S3_ACCESS_KEY || !c.S3_SECRET_KEY)) {
    problems.push('S3_ACCESS_KEY and S3_SECRET_KEY: required when S3_ENDPOINT is set');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    ...c,
    JWT_SECRET: c.JWT_SECRET ?? DEV_JWT_SECRET,
    trustedProxies,
    corsOrigins: (c.CORS_ORIGINS ?? (c.NODE_ENV === 'production' ? '' : '*'))
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    embeddedDatabase: !c.DATABASE_URL,
    embeddedStore: !c.S3_ENDPOINT,
  };
}
