import fc from 'fast-check';
import { DateTimeScalar, DecimalScalar, isoInstant } from '../../src/platform/scalars';

describe('Decimal', () => {
  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['0', 0],
    ['0.01', 1],
    ['25', 2500],
    ['1000000.99', 100000099],
  ])('%s → %i minor units', (text, minor) => {
    expect(DecimalScalar.parseValue(text)).toBe(minor);
  });

  it.each([
    '-1',
    '-0.01',
    '1.234',
    '1e2',
    'abc',
    '',
    ' 1',
    '1.',
    '.5',
    '01',
    '0x10',
    'NaN',
    'Infinity',
    '1,00',
  ])('refuses %j', (text) => {
    expect(() => DecimalScalar.parseValue(text)).toThrow(/Decimal/);
  });

  it('round-trips every amount exactly, never through floats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (minor) => {
        const text = DecimalScalar.serialize(minor) as string;
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(DecimalScalar.parseValue(text)).toBe(minor);
      }),
    );
  });
});

describe('DateTime', () => {
  it('serializes as ISO-8601 in UTC', () => {
    expect(DateTimeScalar.serialize(new Date('2026-11-26T05:28:51Z'))).toBe(
      '2026-11-26T05:28:51.000Z',
    );
  });
  it.each(['2026-11-26', '26/11/2026', '2026-11-26T05:28:51', 'yesterday', '2026-13-40T00:00:00Z'])(
    'refuses %j',
    (v) => {
      expect(() => DateTimeScalar.parseValue(v)).toThrow();
    },
  );
  it('quotes a refused value escaped and short', () => {
    expect(() => DateTimeScalar.parseValue(`\u0000${'x'.repeat(10_000)}`)).toThrow(
      /^DateTime "\\u0000x{39}…" is not an ISO-8601 instant/,
    );
  });
  it('accepts offsets and normalizes them', () => {
    expect((DateTimeScalar.parseValue('2026-11-26T07:28:51+02:00') as Date).toISOString()).toBe(
      '2026-11-26T05:28:51.000Z',
    );
  });
});

describe('isoInstant', () => {
  it('writes what toISOString writes, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (t) => {
        const date = new Date(t);
        expect(isoInstant(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '2000-02-29T23:59:59.999Z',
    '2100-02-28T12:00:00.000Z',
    '2100-03-01T00:00:00.000Z',
    '2024-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00.000Z',
  ])('%s', (text) => {
    expect(isoInstant(new Date(text))).toBe(text);
  });

  it('throws as toISOString does for an invalid date', () => {
    expect(() => isoInstant(new Date(NaN))).toThrow(RangeError);
  });
});
