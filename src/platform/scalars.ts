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

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 instant in UTC, e.g. 2026-11-26T05:28:51.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime()))
      throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
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
