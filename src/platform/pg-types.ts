import { types } from 'pg';

const TIMESTAMPTZ = 1184;
const parseTimestamptzSlowly = types.getTypeParser(TIMESTAMPTZ, 'text') as (s: string) => unknown;

/** What PostgreSQL writes for a `timestamptz` in ISO DateStyle: offset in hours, maybe minutes. */
const ISO_TIMESTAMPTZ = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?[+-]\d\d(?::\d\d)?$/;

/** The decimal number written by the digits from..to-1 of `s` (checked digits only). */
function num(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/**
 * `timestamptz` text to a Date without pg's general parser (postgres-date: several regular
 * expressions and Date mutations per value, a visible cost on a page of rows). Years 1000 to
 * 9999 in ISO form take this path; anything else (infinity, BC, other years) the general one.
 * Both truncate microseconds to milliseconds.
 */
export function parseTimestamptz(s: string): unknown {
  if (!ISO_TIMESTAMPTZ.test(s) || s.charCodeAt(0) === 48) return parseTimestamptzSlowly(s);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    const end = s.length - (s.charCodeAt(s.length - 3) === 58 ? 6 : 3);
    const digits = Math.min(3, end - i - 1);
    ms = num(s, i + 1, i + 1 + digits) * (digits === 3 ? 1 : digits === 2 ? 10 : 100);
    i = end;
  }
  const sign = s.charCodeAt(i) === 45 ? -1 : 1;
  const offsetMinutes =
    sign * (num(s, i + 1, i + 3) * 60 + (s.length > i + 3 ? num(s, i + 4, i + 6) : 0));
  return new Date(
    Date.UTC(
      num(s, 0, 4),
      num(s, 5, 7) - 1,
      num(s, 8, 10),
      num(s, 11, 13),
      num(s, 14, 16),
      num(s, 17, 19),
      ms,
    ) -
      offsetMinutes * 60_000,
  );
}

/** The pool's type parsers: pg's own, with the cheaper timestamptz parser. */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ && format !== 'binary'
      ? parseTimestamptz
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};
