import fc from 'fast-check';
import { formatMinor, parseMoneyToMinor, readDecimal } from '../../src/platform/money';
import { DecimalScalar } from '../../src/platform/scalars';
import { parseFixture } from '../../src/import/fixture';

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
    // Leading zeros: the contract's Decimal has one spelling per amount.
    '007.50',
    '00',
    '01',
    '00.5',
    '0.001',
    '1.2.3',
    '1\n',
    '\n1',
    '１',
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

describe('one Decimal grammar', () => {
  it.each([
    ['25.5', { ok: true, minor: 2550 }],
    ['90071992547409.91', { ok: true, minor: Number.MAX_SAFE_INTEGER }],
    ['90071992547409.92', { ok: false, problem: 'range' }],
    ['123456789012345678901234567890', { ok: false, problem: 'range' }],
    ['007.5', { ok: false, problem: 'format' }],
    ['0'.repeat(40), { ok: false, problem: 'format' }],
    ['1.234', { ok: false, problem: 'format' }],
  ])('reads %p as %j', (input, expected) => {
    expect(readDecimal(input)).toEqual(expected);
  });

  /** Whether the fixture parser takes this payout. */
  const fixtureAccepts = (payout: string): boolean => {
    const call = {
      id: '9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2a',
      buyerId: '9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2b',
      campaignId: '9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2c',
      startedAt: '2026-11-25T10:00:00Z',
      callerId: '+15551230001',
      destination: '+18005550100',
      payout,
      durationSeconds: 95,
      status: 'COMPLETED_WITH_CONVERSION',
    };
    try {
      parseFixture({ calls: [call] });
      return true;
    } catch {
      return false;
    }
  };
  const scalarReads = (s: string): number | null => {
    try {
      return DecimalScalar.parseValue(s) as number;
    } catch {
      return null;
    }
  };
  const moneyReads = (s: string): number | null => {
    try {
      return parseMoneyToMinor(s);
    } catch {
      return null;
    }
  };

  it('the API scalar, the money parser and the fixture parser accept exactly the same strings', () => {
    const text = fc.oneof(
      fc.stringMatching(/^[-+0-9.e ]{0,8}$/),
      fc.stringMatching(/^0{0,2}[0-9]{1,17}(\.[0-9]{0,3})?$/),
    );
    fc.assert(
      fc.property(text, (s) => {
        const minor = moneyReads(s);
        expect(scalarReads(s)).toBe(minor);
        expect(fixtureAccepts(s)).toBe(minor !== null);
      }),
    );
  });

  it('"007.5" is refused everywhere (it once passed the import but not the API)', () => {
    expect(scalarReads('007.5')).toBeNull();
    expect(moneyReads('007.5')).toBeNull();
    expect(fixtureAccepts('007.5')).toBe(false);
  });
});
