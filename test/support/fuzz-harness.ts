import { randomUUID } from 'node:crypto';
import type fc from 'fast-check';
import { Pool } from 'pg';
import WebSocket from 'ws';
import { signToken } from '../../src/auth/tokens';
import { db } from './seed';
import {
  readTestEnv,
  startApiProcess,
  TEST_JWT_SECRET,
  type ApiProcess,
  storeEnv,
} from './services';
import type { Pools } from './fuzz-values';

const intEnv = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** Knobs of a fuzz run; `npm test` uses the defaults, `npm run fuzz` raises FUZZ_RUNS. */
export const FUZZ = {
  /** Generated inputs per property. */
  runs: intEnv('FUZZ_RUNS', 100),
  /** Every answer must arrive within this many milliseconds. */
  timeBoundMs: intEnv('FUZZ_TIME_BOUND_MS', 2000),
  /** Replays a run: the seed fast-check printed with a failure. */
  seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
};

/**
 * Generator classes that today's server still fails; skipped unless FUZZ_PENDING names them
 * (`FUZZ_PENDING=all` runs every one). Each fix removes its name here, so the property then
 * guards the fix.
 */
export const PENDING_FIXES = new Set<string>([]);

export function isEnabled(name: string): boolean {
  const wanted = (process.env.FUZZ_PENDING ?? '').split(',').map((s) => s.trim());
  return !PENDING_FIXES.has(name) || wanted.includes('all') || wanted.includes(name);
}

/** The contract's error codes (shared contract, "Error codes"). */
export const CONTRACT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CALL_NOT_DISPUTABLE',
  'DISPUTE_WINDOW_EXPIRED',
  'DISPUTE_ALREADY_ACTIVE',
  'CALL_ALREADY_ADJUSTED',
  'DISPUTE_ALREADY_RESOLVED',
  'EVIDENCE_INVALID',
  'DISPUTE_NOT_REOPENABLE',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
]);

/** fast-check settings shared by every property. */
export function fcParams<T>(runs = FUZZ.runs): fc.Parameters<T> {
  return {
    numRuns: runs,
    seed: FUZZ.seed,
    // Shrinking replays requests; keep it bounded so a failure reports in reasonable time.
    interruptAfterTimeLimit: Math.max(60_000, runs * 300),
    markInterruptAsFailure: false,
  };
}

export interface HttpAnswer {
  status: number;
  ms: number;
  contentType: string;
  body: unknown;
  /** Set when no parseable answer arrived (timeout, reset, non-JSON). */
  failure?: string;
}

export type Role =
  | 'buyerA'
  | 'buyerANoPerm'
  | 'buyerB'
  | 'viewManager'
  | 'editManager'
  | 'plainManager'
  | 'anonymous'
  | 'expired'
  | 'forged'
  | 'ghost';

export const ROLES: Role[] = [
  'buyerA',
  'buyerA',
  'buyerANoPerm',
  'buyerB',
  'viewManager',
  'editManager',
  'editManager',
  'plainManager',
  'anonymous',
  'expired',
  'forged',
  'ghost',
];

/**
 * Per table, the columns requests write, where background jobs change the others on their own:
 * webhook attempts are recorded on deliveries whatever a request does meanwhile, and an export
 * started by an earlier request is finished by its job (status, rows written, its file).
 */
const WRITTEN_BY_REQUESTS: Record<string, string> = {
  webhook_deliveries: 'id, endpoint_id, event_id, event_type, body, created_at',
  exports: 'id, user_id, "table", columns, filter, total_rows, file_name, created_at',
};

/**
 * Tables background jobs change after the request that started their work: an export's lines
 * are written by its start and removed by its job once uploaded, and its task's row is removed
 * when the task is done (the export row, above, is the request's record of both); a periodic
 * task's row moves on by itself.
 */
const WRITTEN_IN_THE_BACKGROUND = new Set(['export_lines', 'jobs']);

/**
 * The fuzzing target: an API process of its own on a database of its own, so generated input
 * can neither disturb other test files nor be disturbed by their writes, and every table can be
 * fingerprinted exactly.
 */
export class FuzzTarget {
  private api!: ApiProcess;
  readonly tokens = {} as Record<Role, string | null>;
  readonly ids = {} as Record<string, string>;
  pools: Pools = {
    ids: {
      call: [],
      dispute: [],
      evidence: [],
      notification: [],
      account: [],
      campaign: [],
      user: [],
    },
    cursors: [],
    cursorsByField: {},
  };
  /** Requests sent, per property name. */
  readonly sent = new Map<string, number>();
  private fingerprintSql = '';

  private constructor(
    readonly dbName: string,
    readonly databaseUrl: string,
    readonly pool: Pool,
  ) {}

  static async start(): Promise<FuzzTarget> {
    const env = readTestEnv();
    const dbName = `fuzz_${Date.now()}_${process.pid}`;
    await db().query(`CREATE DATABASE ${dbName}`);
    const url = new URL(env.databaseUrl);
    url.pathname = `/${dbName}`;
    const pool = new Pool({ connectionString: url.toString(), max: 2 });
    // Dropping the database at the end ends these connections from the server side.
    pool.on('error', () => undefined);
    const target = new FuzzTarget(dbName, url.toString(), pool);
    await target.startApi();
    await target.seed();
    return target;
  }

  get url(): string {
    return this.api.url;
  }

  get wsUrl(): string {
    return this.api.url.replace(/^http/, 'ws');
  }

  private async startApi(): Promise<void> {
    this.api = await startApiProcess({
      DATABASE_URL: this.databaseUrl,
      ...storeEnv(),
      SQL_STATS: 'false',
      LOG_LEVEL: 'fatal',
    });
  }

  /** After a request went unanswered the process may be stuck; the next run gets a fresh one. */
  async restartApi(): Promise<void> {
    await this.api.stop('SIGKILL');
    await this.startApi();
  }

  async stop(): Promise<void> {
    await this.api?.stop('SIGKILL');
    await this.pool.end();
    await db().query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
  }

  count(property: string, n = 1): void {
    this.sent.set(property, (this.sent.get(property) ?? 0) + n);
  }

  /** POSTs a body as a client would, with the role's token; never throws. */
  async post(role: Role, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const token = this.tokens[role];
    return this.http({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async http(init: RequestInit, search = ''): Promise<HttpAnswer> {
    const started = performance.now();
    // Well past the bound: a request still running then is reported, and the process replaced.
    const hardLimit = Math.max(10_000, FUZZ.timeBoundMs * 5);
    try {
      const res = await fetch(this.url + search, {
        ...init,
        signal: AbortSignal.timeout(hardLimit),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      const contentType = res.headers.get('content-type') ?? '';
      try {
        return { status: res.status, ms, contentType, body: JSON.parse(text) as unknown };
      } catch {
        return {
          status: res.status,
          ms,
          contentType,
          body: text.slice(0, 300),
          failure: 'not JSON',
        };
      }
    } catch (err) {
      const ms = performance.now() - started;
      const timedOut = (err as Error).name === 'TimeoutError';
      if (timedOut) await this.restartApi();
      return {
        status: 0,
        ms,
        contentType: '',
        body: null,
        failure: timedOut ? `no answer within ${hardLimit} ms` : `request failed: ${String(err)}`,
      };
    }
  }

  /**
   * Every table's row count and a digest of its rows, in one statement: "nothing written"
   * means this string did not change.
   */
  async fingerprint(): Promise<string> {
    if (!this.fingerprintSql) {
      const tables = await this.pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
         ORDER BY table_name`,
      );
      this.fingerprintSql = `SELECT ${tables.rows
        .filter(({ name }) => !WRITTEN_IN_THE_BACKGROUND.has(name))
        .map(
          ({ name }) =>
            `'${name}:' || (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM (SELECT ${WRITTEN_BY_REQUESTS[name] ?? '*'} FROM "${name}") t)`,
        )
        .join(` || ';' || `)} AS fp`;
    }
    const r = await this.pool.query<{ fp: string }>(this.fingerprintSql);
    return r.rows[0]!.fp;
  }

  /** Opens a graphql-ws connection for a role; resolves with the socket once acknowledged, or the close code. */
  async ws(role: Role): Promise<{ socket?: WebSocket; closeCode?: number; ms: number }> {
    const started = performance.now();
    const socket = new WebSocket(this.wsUrl, 'graphql-transport-ws');
    const token = this.tokens[role];
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          socket.terminate();
          resolve({ closeCode: -1, ms: performance.now() - started });
        },
        Math.max(10_000, FUZZ.timeBoundMs * 5),
      );
      socket.on('open', () =>
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: token ? { authorization: `Bearer ${token}` } : {},
          }),
        ),
      );
      socket.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { type: string };
        if (msg.type === 'connection_ack') {
          clearTimeout(timer);
          resolve({ socket, ms: performance.now() - started });
        }
      });
      socket.on('close', (code) => {
        clearTimeout(timer);
        resolve({ closeCode: code, ms: performance.now() - started });
      });
      socket.on('error', () => undefined);
    });
  }

  private async gql(role: Role, query: string, variables?: Record<string, unknown>) {
    const a = await this.post(role, { query, variables });
    const body = a.body as { data?: Record<string, unknown>; errors?: unknown[] };
    if (a.failure || body.errors) throw new Error(`seeding failed: ${JSON.stringify(a)}`);
    return body.data!;
  }

  /** Two accounts, a user per role, calls of every kind, disputes decided and not, evidence. */
  private async seed(): Promise<void> {
    const q = (sql: string, params: unknown[]) => this.pool.query(sql, params);
    const accountA = randomUUID();
    const accountB = randomUUID();
    await q(
      `INSERT INTO accounts (id, name, dispute_window_hours, currency) VALUES ($1, 'Fuzz A', 72, 'USD'), ($2, 'Fuzz B', 48, 'USD')`,
      [accountA, accountB],
    );
    const campaign = randomUUID();
    await q(
      `INSERT INTO campaigns (id, name, dispute_window_hours) VALUES ($1, 'Fuzz campaign', NULL)`,
      [campaign],
    );
    const users: [string, 'BUYER' | 'MANAGER', string | null, string[]][] = [
      ['buyerA', 'BUYER', accountA, ['DISPUTE_CALLS']],
      ['buyerANoPerm', 'BUYER', accountA, []],
      ['buyerB', 'BUYER', accountB, ['DISPUTE_CALLS']],
      ['viewManager', 'MANAGER', null, ['VIEW_DISPUTES']],
      ['editManager', 'MANAGER', null, ['VIEW_DISPUTES', 'EDIT_DISPUTES']],
      ['plainManager', 'MANAGER', null, []],
    ];
    for (const [role, kind, account, permissions] of users) {
      const id = randomUUID();
      await q(
        'INSERT INTO users (id, name, email, role, account_id, permissions) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, `Fuzz ${role}`, `${id}@fuzz.example`, kind, account, permissions],
      );
      this.ids[role] = id;
      this.tokens[role as Role] = await signToken(TEST_JWT_SECRET, id);
    }
    this.tokens.anonymous = null;
    this.tokens.expired = await signToken(TEST_JWT_SECRET, this.ids.buyerA!, -60);
    this.tokens.forged = await signToken(
      'another-secret-of-sufficient-length',
      this.ids.editManager!,
    );
    this.tokens.ghost = await signToken(TEST_JWT_SECRET, randomUUID());

    const hour = 3_600_000;
    const calls: string[] = [];
    const statuses = [
      'COMPLETED_WITH_CONVERSION',
      'CALL_NOT_CONNECTED_WITH_CONVERSION',
      'COMPLETED_NO_CONVERSION',
      'IN_PROGRESS',
      'CALL_NOT_CONNECTED_NO_CONVERSION',
    ];
    for (const [i, account] of [
      accountA,
      accountA,
      accountA,
      accountA,
      accountB,
      accountB,
    ].entries()) {
      for (const [j, status] of statuses.entries()) {
        const id = randomUUID();
        // Some calls inside their window, some long past it.
        const startedAt = new Date(Date.now() - (i === 3 ? 200 : 1 + j) * hour);
        await q(
          `INSERT INTO calls (id, buyer_id, campaign_id, started_at, caller_id, destination, original_payout_minor,
             payout_minor, duration_seconds, status, hangup_by, hangup_cause, recording_key, recording_content_type)
           VALUES ($1, $2, $3, $4, $5, '+18005550100', 2500, 2500, 95, $6, 'CALLER', NULL, NULL, NULL)`,
          [id, account, campaign, startedAt, `+1555${1_000_000 + i * 10 + j}`, status],
        );
        calls.push(id);
      }
    }
    const create = `mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id } }`;
    const disputes: string[] = [];
    for (const [role, call] of [
      ['buyerA', calls[0]],
      ['buyerA', calls[5]],
      ['buyerA', calls[6]],
      ['buyerB', calls[20]],
    ] as const) {
      const d = await this.gql(role, create, { input: { callId: call, reason: 'INVALID_CALLER' } });
      disputes.push((d.createDispute as { id: string }).id);
    }
    const resolve = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { id } }`;
    await this.gql('editManager', resolve, {
      input: { disputeId: disputes[1], outcome: 'ACCEPTED_PARTIAL', adjustmentAmount: '5.00' },
    });
    await this.gql('editManager', resolve, {
      input: { disputeId: disputes[2], outcome: 'REJECTED' },
    });
    const upload = `mutation($input: CreateEvidenceUploadInput!) { createEvidenceUpload(input: $input) { evidenceId } }`;
    const evidence: string[] = [];
    for (const role of ['buyerA', 'buyerB'] as const) {
      const e = await this.gql(role, upload, {
        input: { contentType: 'image/png', fileName: 'shot.png', sizeBytes: 1000 },
      });
      evidence.push((e.createEvidenceUpload as { evidenceId: string }).evidenceId);
    }
    const notifications = await this.pool.query<{ id: string }>('SELECT id FROM notifications');

    this.pools = {
      ids: {
        call: calls,
        dispute: disputes,
        evidence,
        notification: notifications.rows.map((r) => r.id),
        account: [accountA, accountB],
        campaign: [campaign],
        user: Object.values(this.ids),
      },
      ...(await this.collectCursors()),
    };
  }

  /** Real endCursors of every list and ordering, as templates for malformed and forged ones. */
  private async collectCursors(): Promise<Pick<Pools, 'cursors' | 'cursorsByField'>> {
    const cursors = new Set<string>();
    const cursorsByField: Record<string, string[]> = {};
    const ask = async (role: Role, query: string) => {
      const a = await this.post(role, { query });
      const data = (a.body as { data?: Record<string, unknown> }).data ?? {};
      for (const [field, value] of Object.entries(data)) {
        for (const m of JSON.stringify(value).matchAll(
          /"(?:endCursor|startCursor|cursor)":"([^"]+)"/g,
        )) {
          cursors.add(m[1]!);
          (cursorsByField[field] ??= []).push(m[1]!);
        }
      }
    };
    await ask('buyerA', '{ calls(first: 1) { pageInfo { endCursor } } }');
    await ask('editManager', '{ calls(first: 1) { pageInfo { endCursor } } }');
    await ask('buyerA', '{ notifications(first: 1) { pageInfo { endCursor } } }');
    await ask('editManager', '{ notifications(first: 1) { pageInfo { endCursor } } }');
    for (const field of ['STATUS', 'CREATED_AT', 'CALL_DATE', 'PAYOUT', 'REVIEW_DUE_AT'])
      for (const direction of ['ASC', 'DESC'])
        await ask(
          'editManager',
          `{ disputes(first: 1, orderBy: { field: ${field}, direction: ${direction} }) { pageInfo { endCursor } } }`,
        );
    return { cursors: [...cursors], cursorsByField };
  }
}

export interface CheckOptions {
  /** The request carried text that the contract says must be refused (NUL, unpaired surrogates). */
  mustRefuse?: boolean;
  /** The root mutation field, when the operation is a mutation: its failure must write nothing. */
  mutationField?: string;
  /** Fingerprint before the request (mutations only). */
  before?: string;
  after?: () => Promise<string>;
}

/**
 * What every answer must be: JSON with data or errors, HTTP 200/400 (401 for UNAUTHENTICATED,
 * 413 for an oversized body), within the time bound, every error carrying a contract code other
 * than INTERNAL_SERVER_ERROR; and a failed mutation writes nothing.
 */
export async function contractProblems(
  answer: HttpAnswer,
  opts: CheckOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  if (answer.failure) return [answer.failure];
  if (answer.ms > FUZZ.timeBoundMs)
    problems.push(`answered in ${Math.round(answer.ms)} ms (bound ${FUZZ.timeBoundMs} ms)`);
  if (!answer.contentType.includes('json')) problems.push(`content-type ${answer.contentType}`);
  const body = answer.body as {
    data?: Record<string, unknown> | null;
    errors?: { message?: string; extensions?: { code?: unknown } }[];
  };
  if (typeof body !== 'object' || body === null || (!('data' in body) && !('errors' in body)))
    return [...problems, 'neither data nor errors'];
  const codes = (body.errors ?? []).map((e) => e?.extensions?.code);
  for (const code of codes) {
    if (typeof code !== 'string' || !CONTRACT_CODES.has(code))
      problems.push(`code ${String(code)} is not a contract code`);
    else if (code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
  }
  if (body.errors && !Array.isArray(body.errors)) problems.push('errors is not a list');
  if (body.errors?.length === 0) problems.push('empty errors list');
  if (
    body.errors?.some((e) => /stacktrace|node_modules|\bat .*\.(t|j)s:\d+/.test(JSON.stringify(e)))
  )
    problems.push('an error carries internals');
  const allowed = [200, 400];
  if (codes.includes('UNAUTHENTICATED')) allowed.push(401);
  // A wrong method, size or content type is refused by HTTP itself, still with a contract code.
  if (codes.includes('BAD_USER_INPUT')) allowed.push(405, 413, 415);
  if (!allowed.includes(answer.status)) problems.push(`HTTP ${answer.status}`);
  if (!body.errors?.length && (body.data === null || body.data === undefined))
    problems.push('no data and no errors');

  if (opts.mustRefuse && !body.errors?.length)
    problems.push('accepted text with NUL or an unpaired surrogate');

  const failed =
    body.errors?.length &&
    (!body.data || (opts.mutationField && body.data[opts.mutationField] == null));
  if (opts.mutationField && failed && opts.before !== undefined && opts.after) {
    const after = await opts.after();
    if (after !== opts.before) problems.push('a failed mutation wrote to the database');
  }
  return problems;
}

/**
 * Whether a request carries NUL or an unpaired surrogate in any value: JSON.stringify writes
 * exactly those as \u0000 and \udXXX escapes (paired surrogates stay raw characters).
 */
export function carriesForbiddenText(request: unknown): boolean {
  return /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(request));
}

/** A compact, replayable description of a failing input for the report. */
export function summarize(value: unknown, max = 600): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
  );
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
