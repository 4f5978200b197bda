import { z } from 'zod';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '../accounts/permissions';
import { CALL_STATUSES, HANGUP_SIDES } from '../calls/call.entity';
import { readDecimal } from '../platform/money';
import { UUID_PATTERN } from '../platform/ids';
import { AUTOMATIC_REVIEW_USER_ID } from '../accounts/system-user';

/**
 * The fixture file of `npm run import` (contract README, "Fixture file"). Parsing checks each
 * record on its own and the file as a whole (duplicate ids and emails); references to rows that
 * are not in the file are checked against the database by the import service.
 */

/** A fixture was refused; every line of `problems` names the record and the field. */
export class ImportError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    const shown = list.slice(0, MAX_PROBLEMS_IN_MESSAGE);
    const more = list.length - shown.length;
    super(
      (shown.length ? shown.join('\n') : 'the fixture was refused') +
        (more > 0 ? `\n(and ${more} more problem${more === 1 ? '' : 's'})` : ''),
    );
    this.name = 'ImportError';
    this.problems = list;
  }
}

const MAX_PROBLEMS_IN_MESSAGE = 50;
const INT4_MAX = 2_147_483_647;

// ---------------------------------------------------------------- field schemas

/** Stored lowercase so duplicates are found. */
const uuid = z
  .string()
  .regex(UUID_PATTERN, 'must be a UUID, e.g. 9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2a')
  .transform((s) => s.toLowerCase());

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

const email = z.email({
  error: (iss) => (iss.code === 'invalid_format' ? 'must be an email address' : undefined),
});

const windowHours = z
  .number()
  .int('must be a whole number of hours')
  .positive('must be a positive number of hours')
  .max(INT4_MAX, 'is too large');

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code, e.g. USD');

const permissions = z
  .array(z.enum(PERMISSIONS))
  .default([])
  // Canonical order and no repeats, so re-importing the same set never counts as a change.
  .transform((list): Permission[] => PERMISSIONS.filter((p) => list.includes(p)));

const payout = z
  .string({
    error: (iss) =>
      iss.input === undefined ? 'is required' : 'must be a decimal string, e.g. "25.00"',
  })
  .superRefine((s, ctx) => {
    const reading = readDecimal(s);
    if (reading.ok) return;
    ctx.addIssue({
      code: 'custom',
      message:
        reading.problem === 'range'
          ? 'is too large'
          : 'must be a non-negative decimal with at most two fraction digits, e.g. "25.00"',
    });
  });

const instant = z.iso
  .datetime({
    offset: true,
    error: (iss) =>
      iss.code === 'invalid_format'
        ? 'must be an ISO-8601 instant with a time zone, e.g. 2026-11-25T10:00:00Z'
        : undefined,
  })
  .transform((s) => new Date(s).toISOString());

const text = z.string().trim().min(1, 'must not be empty').max(200, 'is too long');

// ---------------------------------------------------------------- records

const accountSchema = z.strictObject({
  id: uuid,
  name,
  disputeWindowHours: windowHours,
  currency,
  /** Rule 15: accept DUPLICATE_CALL disputes of calls with a duplicateOf at once. */
  autoAcceptDuplicates: z.boolean().default(false),
});

const userSchema = z
  .strictObject({
    id: uuid,
    name,
    email,
    role: z.enum(ROLES),
    accountId: uuid.nullable().default(null),
    permissions,
  })
  .superRefine((u, ctx) => {
    const has = (p: Permission) => u.permissions.includes(p);
    const bad = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (u.id === AUTOMATIC_REVIEW_USER_ID) bad('id', 'is reserved for the system user');
    if (has('EDIT_DISPUTES') && !has('VIEW_DISPUTES')) {
      bad('permissions', 'EDIT_DISPUTES requires VIEW_DISPUTES');
    }
    if (u.role === 'BUYER' && u.accountId === null) bad('accountId', 'is required for role BUYER');
    if (u.role === 'MANAGER' && u.accountId !== null) {
      bad('accountId', 'must be null or absent for role MANAGER');
    }
    const allowed = ROLE_PERMISSIONS[u.role];
    const foreign = u.permissions.filter((p) => !allowed.includes(p));
    if (foreign.length) {
      bad(
        'permissions',
        `a ${u.role} may hold only ${allowed.join(' and ')}, not ${foreign.join(', ')}`,
      );
    }
  });

const campaignSchema = z.strictObject({
  id: uuid,
  name,
  /** null: the buyer account's window applies. */
  disputeWindowHours: windowHours.nullable().default(null),
});

const callSchema = z
  .strictObject({
    id: uuid,
    /** The buyer account (not a user). */
    buyerId: uuid,
    campaignId: uuid,
    startedAt: instant,
    callerId: text,
    destination: text,
    payout,
    durationSeconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(0, 'must not be negative')
      .max(INT4_MAX, 'is too large'),
    status: z.enum(CALL_STATUSES),
    hangupBy: z.enum(HANGUP_SIDES).nullable().default(null),
    hangupCause: z
      .string()
      .trim()
      .max(500, 'is too long')
      .nullable()
      .default(null)
      .transform((s) => (s === '' ? null : s)),
    /** A local audio file (.mp3, .wav, .ogg), relative to the fixture file's folder or absolute. */
    recordingPath: z.string().min(1, 'must not be empty').nullable().default(null),
  })
  .superRefine((c, ctx) => {
    if (c.hangupCause !== null && c.hangupBy === null) {
      ctx.addIssue({ code: 'custom', path: ['hangupCause'], message: 'requires hangupBy' });
    }
  });

export const fixtureSchema = z.strictObject({
  accounts: z.array(accountSchema).default([]),
  users: z.array(userSchema).default([]),
  campaigns: z.array(campaignSchema).default([]),
  calls: z.array(callSchema).default([]),
});

/** What a fixture file holds (every array optional, defaults omitted). */
export type FixtureInput = z.input<typeof fixtureSchema>;
/** A validated fixture: defaults filled in, ids lowercase, instants normalized to UTC ISO. */
export type Fixture = z.output<typeof fixtureSchema>;
export type FixtureAccount = Fixture['accounts'][number];
export type FixtureUser = Fixture['users'][number];
export type FixtureCampaign = Fixture['campaigns'][number];
export type FixtureCall = Fixture['calls'][number];
export type FixtureKind = keyof Fixture;

export const FIXTURE_KINDS = [
  'accounts',
  'users',
  'campaigns',
  'calls',
] as const satisfies readonly FixtureKind[];

// ---------------------------------------------------------------- messages

/** `users[3] (id 9b1e…)`: how every message names a record. */
export function describeRecord(kind: FixtureKind, index: number, id?: unknown): string {
  return typeof id === 'string' && id !== '' ? `${kind}[${index}] (id ${id})` : `${kind}[${index}]`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Words instead of zod's defaults, so messages read the same for every field. */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      return `must be ${iss.expected === 'array' || iss.expected === 'object' ? 'an' : 'a'} ${iss.expected}, not ${describeValue(iss.input)}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `is not a valid ${iss.format}`;
    default:
      return undefined;
  }
};

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function formatIssue(iss: z.core.$ZodIssue, raw: unknown): string[] {
  const [kind, index, ...field] = iss.path;
  const isRecord =
    typeof kind === 'string' &&
    (FIXTURE_KINDS as readonly string[]).includes(kind) &&
    typeof index === 'number';

  let prefix: string;
  if (isRecord) {
    const list = (raw as Record<string, unknown>)[kind];
    const item = Array.isArray(list) ? (list[index] as unknown) : undefined;
    const id =
      item !== null && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
    prefix = describeRecord(kind as FixtureKind, index, id);
  } else {
    prefix = formatPath(iss.path);
  }

  if (iss.code === 'unrecognized_keys') {
    const where = isRecord ? prefix : prefix || 'the file';
    const expected = isRecord ? '' : ` (expected ${FIXTURE_KINDS.join(', ')})`;
    return iss.keys.map((k) => `${where}: ${k}: unknown field${expected}`);
  }
  if (!isRecord && iss.path.length === 0) {
    return [`the file: ${iss.code === 'invalid_type' ? 'must be a JSON object' : iss.message}`];
  }
  const fieldPath = isRecord ? formatPath(field) : '';
  return [fieldPath ? `${prefix}: ${fieldPath}: ${iss.message}` : `${prefix}: ${iss.message}`];
}

// ---------------------------------------------------------------- parsing

/** Checks across records: ids unique within each kind, emails unique among users. */
function crossRecordProblems(f: Fixture): string[] {
  const problems: string[] = [];
  for (const kind of FIXTURE_KINDS) {
    const seen = new Map<string, number>();
    f[kind].forEach((r, i) => {
      const first = seen.get(r.id);
      if (first === undefined) seen.set(r.id, i);
      else problems.push(`${describeRecord(kind, i, r.id)}: id: duplicates ${kind}[${first}]`);
    });
  }
  const emails = new Map<string, number>();
  f.users.forEach((u, i) => {
    const key = u.email.toLowerCase();
    const first = emails.get(key);
    if (first === undefined) emails.set(key, i);
    else {
      const other = f.users[first];
      problems.push(
        `${describeRecord('users', i, u.id)}: email: ${u.email} is also the email of ${describeRecord('users', first, other?.id)}`,
      );
    }
  });
  return problems;
}

/** Validates a parsed JSON document; throws ImportError listing every bad record and field. */
export function parseFixture(json: unknown): Fixture {
  const result = fixtureSchema.safeParse(json, { error: errorMap });
  if (!result.success) {
    throw new ImportError(result.error.issues.flatMap((iss) => formatIssue(iss, json)));
  }
  const problems = crossRecordProblems(result.data);
  if (problems.length) throw new ImportError(problems);
  return result.data;
}

/** A reference from a record to a row that the file itself does not contain. */
export interface ExternalReference {
  /** e.g. `calls[12] (id …)` */
  record: string;
  field: 'accountId' | 'buyerId' | 'campaignId';
  target: 'accounts' | 'campaigns';
  targetId: string;
}

/** References that must be satisfied by rows already in the database. */
export function externalReferences(f: Fixture): ExternalReference[] {
  const accounts = new Set(f.accounts.map((a) => a.id));
  const campaigns = new Set(f.campaigns.map((c) => c.id));
  const refs: ExternalReference[] = [];
  f.users.forEach((u, i) => {
    if (u.accountId !== null && !accounts.has(u.accountId)) {
      refs.push({
        record: describeRecord('users', i, u.id),
        field: 'accountId',
        target: 'accounts',
        targetId: u.accountId,
      });
    }
  });
  f.calls.forEach((c, i) => {
    const record = describeRecord('calls', i, c.id);
    if (!accounts.has(c.buyerId)) {
      refs.push({ record, field: 'buyerId', target: 'accounts', targetId: c.buyerId });
    }
    if (!campaigns.has(c.campaignId)) {
      refs.push({ record, field: 'campaignId', target: 'campaigns', targetId: c.campaignId });
    }
  });
  return refs;
}
