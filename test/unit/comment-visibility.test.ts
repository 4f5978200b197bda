import { mayReadComment, mayWriteComment, type Reader } from '../../src/auth/visibility';
import { decodeLiveEvent, encodeLiveEvent } from '../../src/notifications/live-events';
import type { Permission } from '../../src/accounts/permissions';

const OWN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

const reader = (role: Reader['role'], permissions: Permission[]): Reader => ({
  role,
  accountId: role === 'BUYER' ? OWN : null,
  permissions: new Set(permissions),
});

/** Rule 13 as a table: who reads and who writes each visibility. */
const READERS: {
  who: string;
  r: Reader;
  reads: { SHARED: boolean; INTERNAL: boolean; foreign: boolean };
  writes: { SHARED: boolean; INTERNAL: boolean };
}[] = [
  {
    who: 'buyer with DISPUTE_CALLS',
    r: reader('BUYER', ['DISPUTE_CALLS']),
    reads: { SHARED: true, INTERNAL: false, foreign: false },
    writes: { SHARED: true, INTERNAL: false },
  },
  {
    who: 'buyer without permissions',
    r: reader('BUYER', []),
    reads: { SHARED: false, INTERNAL: false, foreign: false },
    writes: { SHARED: false, INTERNAL: false },
  },
  {
    who: 'view-only manager',
    r: reader('MANAGER', ['VIEW_DISPUTES']),
    reads: { SHARED: true, INTERNAL: true, foreign: true },
    writes: { SHARED: false, INTERNAL: false },
  },
  {
    who: 'editing manager',
    r: reader('MANAGER', ['VIEW_DISPUTES', 'EDIT_DISPUTES']),
    reads: { SHARED: true, INTERNAL: true, foreign: true },
    writes: { SHARED: true, INTERNAL: true },
  },
  {
    who: 'manager without permissions',
    r: reader('MANAGER', []),
    reads: { SHARED: false, INTERNAL: false, foreign: false },
    writes: { SHARED: false, INTERNAL: false },
  },
];

describe.each(READERS)('a $who', ({ r, reads, writes }) => {
  it('reads the comments rule 13 lets it read', () => {
    expect(mayReadComment(r, { visibility: 'SHARED', disputeBuyerId: OWN })).toBe(reads.SHARED);
    expect(mayReadComment(r, { visibility: 'INTERNAL', disputeBuyerId: OWN })).toBe(reads.INTERNAL);
    for (const visibility of ['SHARED', 'INTERNAL'] as const) {
      expect(mayReadComment(r, { visibility, disputeBuyerId: OTHER })).toBe(
        reads.foreign && (visibility === 'SHARED' || r.role === 'MANAGER'),
      );
    }
  });

  it('writes the visibilities rule 13 lets it write', () => {
    expect(mayWriteComment(r, 'SHARED')).toBe(writes.SHARED);
    expect(mayWriteComment(r, 'INTERNAL')).toBe(writes.INTERNAL);
  });
});

it('no buyer reads an INTERNAL comment, whatever its permissions or account', () => {
  for (const permissions of [[], ['DISPUTE_CALLS'], ['DISPUTE_CALLS', 'VIEW_DISPUTES']] as const) {
    for (const disputeBuyerId of [OWN, OTHER]) {
      const buyer = reader('BUYER', [...permissions] as Permission[]);
      expect(mayReadComment(buyer, { visibility: 'INTERNAL', disputeBuyerId })).toBe(false);
    }
  }
});

describe('live events of comments', () => {
  const base = { kind: 'dispute' as const, disputeId: OWN, buyerId: OTHER };

  it('round-trips a commented event with its comment, and every other change', () => {
    const commented = {
      ...base,
      change: 'commented' as const,
      comment: { id: OTHER, authorRole: 'MANAGER' as const },
    };
    expect(decodeLiveEvent(encodeLiveEvent(commented))).toEqual(commented);
    for (const change of ['created', 'resolved', 'withdrawn'] as const) {
      expect(decodeLiveEvent(encodeLiveEvent({ ...base, change }))).toEqual({ ...base, change });
    }
  });

  it('drops a commented event without a well-formed comment', () => {
    for (const comment of [undefined, null, { id: 'x', authorRole: 'BUYER' }, { id: OWN }]) {
      expect(
        decodeLiveEvent(JSON.stringify({ v: 1, ...base, change: 'commented', comment })),
      ).toBeNull();
    }
    expect(decodeLiveEvent(JSON.stringify({ v: 1, ...base, change: 'edited' }))).toBeNull();
  });

  it('carries the event ID its notifications name, and drops a malformed one', () => {
    const resolved = { ...base, change: 'resolved' as const, eventId: OTHER };
    expect(decodeLiveEvent(encodeLiveEvent(resolved))).toEqual(resolved);
    for (const eventId of ['x', 7, null]) {
      expect(decodeLiveEvent(JSON.stringify({ ...resolved, v: 1, eventId }))).toBeNull();
    }
  });
});
