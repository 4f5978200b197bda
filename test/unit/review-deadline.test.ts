import { ConfigError, loadConfig } from '../../src/platform/config';
import { isOverdue, reviewDueAt } from '../../src/disputes/review-deadline';

const HOUR = 3_600_000;

describe('REVIEW_SLA_HOURS', () => {
  it('defaults to 48 and takes a decimal number of hours above 0', () => {
    expect(loadConfig({}).REVIEW_SLA_HOURS).toBe(48);
    expect(loadConfig({ REVIEW_SLA_HOURS: '0.5' }).REVIEW_SLA_HOURS).toBe(0.5);
    expect(loadConfig({ REVIEW_SLA_HOURS: '72' }).REVIEW_SLA_HOURS).toBe(72);
  });

  it.each(['0', '-1', 'soon', 'Infinity'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ REVIEW_SLA_HOURS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ REVIEW_SLA_HOURS: value })).toThrow(/REVIEW_SLA_HOURS/);
  });
});

describe('CLOCK_OFFSET_MS', () => {
  it('defaults to 0, is an integer, and is refused in production', () => {
    expect(loadConfig({}).CLOCK_OFFSET_MS).toBe(0);
    expect(loadConfig({ CLOCK_OFFSET_MS: '-7200000' }).CLOCK_OFFSET_MS).toBe(-2 * HOUR);
    expect(() => loadConfig({ CLOCK_OFFSET_MS: '1.5' })).toThrow(/CLOCK_OFFSET_MS/);
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/disputes',
      S3_ENDPOINT: 'https://s3.example',
      S3_ACCESS_KEY: 'key',
      S3_SECRET_KEY: 'secret',
      JWT_SECRET: 'a-production-secret-of-length',
      METRICS_TOKEN: 'a-metrics-token-of-length',
    };
    expect(loadConfig(production).CLOCK_OFFSET_MS).toBe(0);
    expect(() => loadConfig({ ...production, CLOCK_OFFSET_MS: '1000' })).toThrow(/CLOCK_OFFSET_MS/);
  });
});

describe('the review deadline', () => {
  const created = new Date('2026-11-30T10:00:00.000Z');

  it('is createdAt plus the SLA, to the millisecond', () => {
    expect(reviewDueAt(created, 48).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(reviewDueAt(created, 0.5).toISOString()).toBe('2026-11-30T10:30:00.000Z');
    // Always after createdAt, as disputes_review_due_after_created requires.
    expect(reviewDueAt(created, 1e-9).getTime()).toBe(created.getTime() + 1);
  });

  it('is overdue while PENDING from the instant the clock reaches it', () => {
    const due = reviewDueAt(created, 1);
    const at = (ms: number) => new Date(due.getTime() + ms);
    expect(isOverdue({ status: 'PENDING', reviewDueAt: due }, at(-1))).toBe(false);
    expect(isOverdue({ status: 'PENDING', reviewDueAt: due }, at(0))).toBe(true);
    expect(isOverdue({ status: 'PENDING', reviewDueAt: due }, at(HOUR))).toBe(true);
    for (const status of ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'] as const) {
      expect(isOverdue({ status, reviewDueAt: due }, at(HOUR))).toBe(false);
    }
  });
});
