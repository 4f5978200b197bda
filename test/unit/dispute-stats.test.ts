import 'reflect-metadata';
import {
  foldStatsRows,
  MAX_STATS_CURRENCIES,
  MAX_STATS_ROWS,
} from '../../src/disputes/dispute-stats';

/** One (group, currency) row as the statement answers it. */
const row = (key: string, currency: string, over: Partial<Record<string, number>> = {}) => ({
  key,
  label: `label ${key}`,
  currency,
  calls: 4,
  disputed: 2,
  pending: 1,
  accepted: 0,
  accepted_partial: 0,
  rejected: 1,
  withdrawn: 0,
  credited: '150',
  ...over,
});

describe('foldStatsRows', () => {
  it('folds the currencies of one group into one row, summing counts and listing each amount', () => {
    const [r] = foldStatsRows('CAMPAIGN', [
      row('k', 'EUR', { accepted: 1, rejected: 0 }),
      row('k', 'USD'),
    ]);
    expect(r).toEqual({
      key: 'k',
      label: 'label k',
      calls: 8,
      disputedCalls: 4,
      disputeRate: 0.5,
      pending: 2,
      accepted: 1,
      acceptedPartial: 0,
      rejected: 1,
      withdrawn: 0,
      acceptanceRate: 0.5,
      credited: [
        { amount: 150, currency: 'EUR' },
        { amount: 150, currency: 'USD' },
      ],
    });
  });

  it('has no call count or dispute rate for REASON, and no acceptance rate before a decision', () => {
    const [r] = foldStatsRows('REASON', [row('OTHER', 'USD', { rejected: 0 })]);
    expect(r).toMatchObject({ calls: null, disputeRate: null, acceptanceRate: null });
  });

  it(`answers at most ${MAX_STATS_ROWS} rows and ${MAX_STATS_CURRENCIES} currencies a row, as the schema declares`, () => {
    const many = Array.from({ length: MAX_STATS_ROWS + 5 }, (_, i) =>
      row(String(i).padStart(4, '0'), 'USD'),
    );
    const rows = foldStatsRows('DAY', many);
    expect(rows).toHaveLength(MAX_STATS_ROWS);
    expect(rows.at(-1)?.key).toBe(String(MAX_STATS_ROWS - 1).padStart(4, '0'));
    const currencies = Array.from({ length: MAX_STATS_CURRENCIES + 3 }, (_, i) =>
      row('k', `C${String.fromCharCode(65 + i)}X`),
    );
    const [r] = foldStatsRows('BUYER', currencies);
    expect(r?.credited).toHaveLength(MAX_STATS_CURRENCIES);
    expect(r?.calls).toBe(4 * (MAX_STATS_CURRENCIES + 3));
  });
});
