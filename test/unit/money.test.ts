import fc from 'fast-check';
import { formatMinor, parseMoneyToMinor } from '../../src/platform/money';

describe('parseMoneyToMinor', () => {
  it.each([
    ['0', 0],
    ['0.00', 0],
    ['25', 2500],
    ['25.5', 2550],
    ['25.00', 2500],
    ['25.05', 2505],
    ['0.01', 1],
    ['0.1', 10],
    ['007.50', 750],
    ['80.00', 8000],
    ['1234567.89', 123456789],
    // Float-based parsing gets these wrong (0.29 * 100 === 28.999999999999996).
    ['0.29', 29],
    ['4.35', 435],
    ['1.15', 115],
    ['90071992547409.91', 9007199254740991],
  ])('parses %s as %d', (input, expected) => {
    expect(parseMoneyToMinor(input)).toBe(expected);
  });

  it.each([
    '-1',
    '-0.50',
    '+1',
    '1.234',
    'abc',
    '',
    ' 1',
    '1 ',
    '1.',
    '.5',
    '1,00',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '90071992547409.92',
  ])('rejects %p', (input) => {
    expect(() => parseMoneyToMinor(input)).toThrow(RangeError);
  });
});

describe('formatMinor', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [2550, '25.50'],
    [2505, '25.05'],
    [8000, '80.00'],
    [123456789, '1234567.89'],
    [-5, '-0.05'],
    [-2550, '-25.50'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('formats %d as %s', (input, expected) => {
    expect(formatMinor(input)).toBe(expected);
  });

  it('accepts bigint', () => {
    expect(formatMinor(2550n)).toBe('25.50');
  });

  it.each([0.5, NaN, Infinity, 2 ** 60])('rejects %p', (input) => {
    expect(() => formatMinor(input)).toThrow(RangeError);
  });
});

describe('money round trip', () => {
  it('parse(format(n)) === n for every non-negative safe amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseMoneyToMinor(formatMinor(n))).toBe(n);
      }),
    );
  });

  it('format always has exactly two fraction digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(formatMinor(n)).toMatch(/^-?\d+\.\d{2}$/);
      }),
    );
  });

  it('format(parse(s)) normalizes s to two fraction digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('', '.', '.0', '.00'),
        (whole, suffix) => {
          const s = suffix === '.' ? String(whole) : `${whole}${suffix}`;
          expect(formatMinor(parseMoneyToMinor(s))).toBe(`${whole}.00`);
        },
      ),
    );
  });
});
