import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { formatMinor, readDecimal } from './money';

const badValue = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** A refused value as quoted back to the client: escaped, and short however long it was. */
const quoted = (value: string) =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string') throw badValue('DateTime must be an ISO-8601 string.');
  // A full date-time with an explicit offset; a bare date or local time is ambiguous.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw badValue(
      `DateTime ${quoted(value)} is not an ISO-8601 instant such as 2026-11-26T05:28:51Z.`,
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw badValue(`DateTime ${quoted(value)} is not a real instant.`);
  return date;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: every instant before it and from 1970 has a four-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * `date.toISOString()`, written out by arithmetic for 1970–9999 (other instants and invalid
 * dates take toISOString itself). V8's toISOString costs about three times as much, a visible
 * share of a page that shows two timestamps a row.
 */
export function isoInstant(date: Date): string {
  const t = date.getTime();
  if (!(t >= 0 && t < YEAR_10000_MS)) return date.toISOString();
  const days = Math.floor(t / DAY_MS);
  let ms = t - days * DAY_MS;
  // The proleptic Gregorian date of a day number (Howard Hinnant's civil_from_days).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[ms]}Z`;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 instant in UTC, e.g. 2026-11-26T05:28:51.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime()))
      throw new TypeError('DateTime cannot represent an invalid date');
    return isoInstant(date);
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badValue('DateTime must be an ISO-8601 string.');
    return parseInstant(ast.value);
  },
});

/** "12.5" → 1250, by the contract's one Decimal grammar (`readDecimal`). */
function parseDecimal(value: unknown): number {
  // A JSON number is read by its shortest decimal form: 12.5 → "12.5", 1e21 → "1e+21" (refused).
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const shown = typeof value === 'string' ? quoted(value) : JSON.stringify(value);
  const reading = typeof text === 'string' ? readDecimal(text) : null;
  if (reading?.ok) return reading.minor;
  if (reading?.problem === 'range') throw badValue(`Decimal ${shown} is too large.`);
  throw badValue(
    `Decimal ${shown} is not a plain non-negative amount with at most two fraction digits, e.g. "12.50".`,
  );
}

/** Values inside the server are integer minor units (cents); clients see "12.50". */
export const DecimalScalar = new GraphQLScalarType<number, string>({
  name: 'Decimal',
  description:
    'A decimal amount serialized as a string with exactly two fraction digits, e.g. "12.50". ' +
    'Accepted as input as a string (or number) with at most two fraction digits, never negative.',
  serialize(value) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new TypeError('Decimal expects integer minor units');
    }
    return formatMinor(value);
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) {
      return parseDecimal(ast.value);
    }
    throw badValue('Decimal must be a string such as "12.50".');
  },
});
