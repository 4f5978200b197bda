import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are never logged, wherever they appear one level deep: credentials, signed
 * URLs, and the free text and phone numbers clients send (dispute text, search terms).
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'password',
  'secret',
  'url',
  'signedUrl',
  'uploadUrl',
  'fields',
  'comment',
  'additionalInfo',
  'body',
  'search',
  'q',
  'callerId',
  'destination',
  'phone',
  'variables',
  'parameters',
];

/**
 * The parts of a log line that could carry personal data even where no key names it: signed
 * URLs' query strings, bearer tokens and JWTs, phone numbers in E.164 or as long digit runs.
 */
export function scrubText(text: string): string {
  return text
    .replace(/\b(https?:\/\/[^\s?#"'<>]*)\?[^\s"'<>]*/gi, '$1?[redacted]')
    .replace(/X-Amz-[A-Za-z-]+=[^&\s"'<>]*/gi, 'X-Amz-[redacted]')
    .replace(/\bBearer\s+[^\s"',]+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[jwt]')
    .replace(/(?<![\w-])\+?\d{7,15}(?![\w-])/g, '[number]');
}

/** Database messages quote the offending value after a colon (`invalid input syntax for type uuid: "…"`). */
const scrubDatabaseMessage = (message: string) =>
  scrubText(message.replace(/: ".*"/gs, ': "[redacted]"'));

/** An error's message without the values it may quote. */
function safeMessage(e: Error): string {
  const fromDatabase =
    'driverError' in e || typeof (e as { routine?: unknown }).routine === 'string';
  return fromDatabase ? scrubDatabaseMessage(e.message) : scrubText(e.message);
}

/** What a statement's parameters were, without their values: a count and a type per place. */
export function describeParameters(parameters: unknown): {
  parameterCount: number;
  parameterTypes: string[];
} {
  const list = Array.isArray(parameters) ? parameters : [];
  const parameterTypes = list.slice(0, 50).map((p): string => {
    if (p === null) return 'null';
    if (p instanceof Date) return 'Date';
    if (Buffer.isBuffer(p)) return 'Buffer';
    if (Array.isArray(p)) return 'array';
    return typeof p;
  });
  return { parameterCount: list.length, parameterTypes };
}

/** A statement for a log line: its text (the code's own; values travel as parameters) and its parameters' types. */
export function describeStatement(query: string, parameters: unknown) {
  return { query: scrubText(query.slice(0, 500)), ...describeParameters(parameters) };
}

/** PostgreSQL error fields that name things in the schema, never values (not `detail`, `where`). */
const DATABASE_FIELDS = [
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
  'position',
] as const;

type Serialized = Record<string, unknown>;

/**
 * Errors as log fields, built from an allow-list: a TypeORM QueryFailedError carries the
 * statement's parameters and copies PostgreSQL's `detail` ("Failing row contains (…)"), and a
 * GraphQLError its document, so copying an error's own properties would log client text.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) {
    if (value === null || value === undefined) return value;
    return { type: typeof value };
  }
  const e = value as Error & Record<string, unknown>;
  const driver = (e.driverError ?? undefined) as Record<string, unknown> | undefined;
  const fromDatabase = driver !== undefined || typeof e.routine === 'string';
  const message = safeMessage(e);
  const out: Serialized = {
    type: e.constructor?.name ?? e.name,
    message,
    stack: e.stack ? scrubText(e.stack.replace(e.message, message)) : undefined,
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  for (const key of ['status', 'statusCode', 'errno', 'syscall'] as const) {
    if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
  }
  const source = driver ?? (fromDatabase ? e : undefined);
  if (source) {
    for (const key of DATABASE_FIELDS) {
      const v = source[key];
      if (typeof v === 'string' || typeof v === 'number') out[key] = v;
    }
    if (typeof source.code === 'string') out.code = source.code;
  }
  if (typeof e.query === 'string') {
    out.sql = describeStatement(e.query, e.parameters);
  }
  const extensions = e.extensions as Record<string, unknown> | undefined;
  if (extensions && typeof extensions.code === 'string') out.code ??= extensions.code;
  if (Array.isArray(e.path))
    out.path = e.path.filter((p) => typeof p !== 'string' || p.length < 100);
  if (depth < 3) {
    const cause = e.originalError ?? e.cause;
    if (cause !== undefined && cause !== value) out.cause = serializeError(cause, depth + 1);
    if (Array.isArray(e.errors)) {
      out.errors = e.errors.slice(0, 5).map((inner) => serializeError(inner, depth + 1));
    }
  }
  return out;
}

/**
 * JSON logs without personal data or free text: errors go through serializeError, known keys
 * are redacted, and nothing logs headers, request bodies or variables.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'disputes-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // pino takes an Error's message as the line's `msg` when none is given.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (first instanceof Error && (rest.length === 0 || typeof rest[0] !== 'string')) {
            return method.call(this, first, safeMessage(first), ...(rest as []));
          }
          return method.apply(this, args);
        },
      },
      redact: {
        paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
        censor: '[redacted]',
      },
    },
    destination,
  );
}
