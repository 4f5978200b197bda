import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { DISPUTE_STATUSES } from '../../src/disputes/dispute.entity';
import {
  REOPEN_BLOCKS,
  reopenBlock,
  reopenWindowEndsAt,
  type ReopenFacts,
} from '../../src/disputes/dispute-reopen';

const HOUR = 3_600_000;
const decidedAt = new Date('2026-12-01T10:00:00.000Z');
const reopenable: ReopenFacts = {
  status: 'ACCEPTED_PARTIAL',
  decidedAt,
  laterDispute: false,
  pendingDispute: false,
  windowHours: 168,
  now: new Date(decidedAt.getTime() + HOUR),
};

describe('REOPEN_WINDOW_HOURS', () => {
  it('defaults to 168 and takes a decimal number of hours above 0', () => {
    expect(loadConfig({}).REOPEN_WINDOW_HOURS).toBe(168);
    expect(loadConfig({ REOPEN_WINDOW_HOURS: '0.5' }).REOPEN_WINDOW_HOURS).toBe(0.5);
    expect(loadConfig({ REOPEN_WINDOW_HOURS: '24' }).REOPEN_WINDOW_HOURS).toBe(24);
  });

  it.each(['0', '-1', 'a week', 'Infinity'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ REOPEN_WINDOW_HOURS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ REOPEN_WINDOW_HOURS: value })).toThrow(/REOPEN_WINDOW_HOURS/);
  });
});

describe('whether a dispute may be reopened (rule 20)', () => {
  it('allows each decision, automatic ones included, while it is at most the window old', () => {
    for (const status of ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'] as const) {
      expect(reopenBlock({ ...reopenable, status })).toBeNull();
    }
    const end = reopenWindowEndsAt(decidedAt, 168);
    expect(end.getTime() - decidedAt.getTime()).toBe(168 * HOUR);
    expect(reopenBlock({ ...reopenable, now: end })).toBeNull();
    expect(reopenBlock({ ...reopenable, now: new Date(end.getTime() + 1) })).toBe(
      'DECISION_TOO_OLD',
    );
    expect(
      reopenBlock({
        ...reopenable,
        windowHours: 0.5,
        now: new Date(decidedAt.getTime() + HOUR / 2 + 1),
      }),
    ).toBe('DECISION_TOO_OLD');
  });

  it('refuses PENDING and WITHDRAWN disputes, and one that is not its call’s latest or whose call has a pending one', () => {
    expect(reopenBlock({ ...reopenable, status: 'PENDING', decidedAt: null })).toBe('NOT_DECIDED');
    expect(reopenBlock({ ...reopenable, status: 'WITHDRAWN', decidedAt: null })).toBe(
      'NOT_DECIDED',
    );
    expect(reopenBlock({ ...reopenable, laterDispute: true })).toBe('LATER_DISPUTE');
    expect(reopenBlock({ ...reopenable, pendingDispute: true })).toBe('PENDING_DISPUTE');
  });

  it('reports the first block that applies, in REOPEN_BLOCKS order, and none exactly when all pass', () => {
    const facts = fc.record<ReopenFacts>({
      status: fc.constantFrom(...DISPUTE_STATUSES),
      decidedAt: fc.option(fc.constant(decidedAt), { nil: null }),
      laterDispute: fc.boolean(),
      pendingDispute: fc.boolean(),
      windowHours: fc.double({ min: 0.01, max: 1000, noNaN: true }),
      now: fc.date({
        min: decidedAt,
        max: new Date(decidedAt.getTime() + 2000 * HOUR),
        noInvalidDate: true,
      }),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const decided = f.status !== 'PENDING' && f.status !== 'WITHDRAWN' && f.decidedAt !== null;
        const holds = {
          NOT_DECIDED: !decided,
          DECISION_TOO_OLD: decided && f.now.getTime() > decidedAt.getTime() + f.windowHours * HOUR,
          LATER_DISPUTE: f.laterDispute,
          PENDING_DISPUTE: f.pendingDispute,
        };
        expect(reopenBlock(f)).toBe(REOPEN_BLOCKS.find((b) => holds[b]) ?? null);
      }),
    );
  });
});
