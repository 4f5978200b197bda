/**
 * Money crosses the system boundary as a decimal string ("25.50") and lives everywhere else as
 * integer minor units (2550). Conversions are done on digits, never through floating point.
 */

/**
 * The contract's Decimal, the one grammar for amounts read anywhere (API input, fixture
 * payouts): a non-negative number with at most two fraction digits and no leading zeros,
 * e.g. "0", "0.5", "12", "12.50"; never "012", "1.", ".5", "+1", "-1", "1e2" or "1,00".
 * The served form always has exactly two fraction digits (`formatMinor`).
 */
const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

/** Longer than any amount up to Number.MAX_SAFE_INTEGER minor units ("90071992547409.91"). */
const MAX_DECIMAL_LENGTH = 17;

export type DecimalReading =
  { ok: true; minor: number } | { ok: false; problem: 'format' | 'range' };

/** Reads a Decimal as integer minor units ("25.5" → 2550), on digits, never through floats. */
export function readDecimal(s: string): DecimalReading {
  const match = s.length <= MAX_DECIMAL_LENGTH ? DECIMAL.exec(s) : null;
  if (!match) {
    const digits = /^\d+(\.\d{1,2})?$/.test(s) && !/^0\d/.test(s);
    return { ok: false, problem: digits ? 'range' : 'format' };
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const minor = BigInt(whole) * 100n + BigInt(fraction);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, problem: 'range' };
  return { ok: true, minor: Number(minor) };
}

/** Like `readDecimal`, throwing a RangeError for anything that is not a Decimal. */
export function parseMoneyToMinor(s: string): number {
  const r = readDecimal(s);
  if (r.ok) return r.minor;
  throw new RangeError(
    r.problem === 'range'
      ? `"${s.slice(0, 40)}" is too large`
      : `"${s.slice(0, 40)}" is not a non-negative amount with at most two fraction digits (e.g. "25.00")`,
  );
}

/** Formats 2550 as "25.50": always two fraction digits, no grouping, "-" for negatives. */
export function formatMinor(minor: number | bigint): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) {
    throw new RangeError(`${minor} is not a whole number of minor units`);
  }
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
