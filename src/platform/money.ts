/**
 * Money crosses the system boundary as a decimal string ("25.50") and lives everywhere else as
 * integer minor units (2550). Conversions are done on digits, never through floating point.
 */

/** A non-negative decimal with at most two fraction digits: "25", "25.5", "25.00". */
export const MONEY_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** Parses "25.5" as 2550. Throws a RangeError for anything else (signs, exponents, 3+ decimals). */
export function parseMoneyToMinor(s: string): number {
  const match = MONEY_PATTERN.exec(s);
  if (!match) {
    throw new RangeError(
      `"${s}" is not a non-negative amount with at most two fraction digits (e.g. "25.00")`,
    );
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const minor = BigInt(whole) * 100n + BigInt(fraction);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${s}" is too large`);
  return Number(minor);
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
