import fc from 'fast-check';
import {
  DISPUTE_BLOCKS,
  evaluateDisputability,
  windowEndsAt,
  windowHoursOf,
  type DisputabilityFacts,
} from '../../src/disputes/dispute-rules';
import { CALL_STATUSES } from '../../src/calls/call.entity';
import { DISPUTE_STATUSES } from '../../src/disputes/dispute.entity';

const HOUR = 3_600_000;
const statuses = CALL_STATUSES;
const disputeStatuses = DISPUTE_STATUSES;

const facts = fc.record<DisputabilityFacts>({
  canDispute: fc.boolean(),
  callStatus: fc.constantFrom(...statuses),
  startedAt: fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2026-12-31T00:00:00Z'),
    noInvalidDate: true,
  }),
  windowHours: fc.integer({ min: 1, max: 24 * 30 }),
  disputeStatuses: fc.array(fc.constantFrom(...disputeStatuses), { maxLength: 4 }),
  now: fc.date({
    min: new Date('2026-01-01T00:00:00Z'),
    max: new Date('2027-01-31T00:00:00Z'),
    noInvalidDate: true,
  }),
});

describe('evaluateDisputability', () => {
  it('allows exactly when no block applies, and reports the first block in DisputeBlock order', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const r = evaluateDisputability(f);
        const applies = {
          NO_PERMISSION: !f.canDispute,
          STATUS_NOT_DISPUTABLE: ![
            'COMPLETED_WITH_CONVERSION',
            'CALL_NOT_CONNECTED_WITH_CONVERSION',
          ].includes(f.callStatus),
          WINDOW_EXPIRED: f.now.getTime() >= f.startedAt.getTime() + f.windowHours * HOUR,
          DISPUTE_PENDING: f.disputeStatuses.includes('PENDING'),
          ALREADY_ADJUSTED: f.disputeStatuses.some(
            (s) => s === 'ACCEPTED' || s === 'ACCEPTED_PARTIAL',
          ),
        };
        const first = DISPUTE_BLOCKS.find((b) => applies[b]) ?? null;
        expect(r.blockedBy).toBe(first);
        expect(r.allowed).toBe(first === null);
        expect(r.windowEndsAt.getTime()).toBe(f.startedAt.getTime() + f.windowHours * HOUR);
      }),
      { numRuns: 2000 },
    );
  });

  it('a rejected dispute never blocks on its own', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const withRejections = evaluateDisputability({
          ...f,
          disputeStatuses: [...f.disputeStatuses, 'REJECTED'],
        });
        expect(withRejections).toEqual(evaluateDisputability(f));
      }),
    );
  });

  it('the window ends exactly at startedAt + hours: open one millisecond before, closed at the instant', () => {
    const startedAt = new Date('2026-11-25T10:00:00Z');
    const base = {
      canDispute: true,
      callStatus: 'COMPLETED_WITH_CONVERSION' as const,
      startedAt,
      windowHours: 72,
      disputeStatuses: [],
    };
    const end = windowEndsAt(startedAt, 72).getTime();
    expect(evaluateDisputability({ ...base, now: new Date(end - 1) }).allowed).toBe(true);
    expect(evaluateDisputability({ ...base, now: new Date(end) }).blockedBy).toBe('WINDOW_EXPIRED');
  });

  it('the campaign window overrides the account window, even when shorter', () => {
    expect(windowHoursOf(24, 72)).toBe(24);
    expect(windowHoursOf(168, 72)).toBe(168);
    expect(windowHoursOf(null, 72)).toBe(72);
  });
});
