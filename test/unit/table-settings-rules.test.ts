import { randomUUID } from 'node:crypto';
import { decodeLiveEvent, encodeLiveEvent } from '../../src/notifications/live-events';
import {
  DEFAULT_COLUMNS,
  MAX_COLUMNS,
  TABLE_NAMES,
  checkChoice,
  columnAllowed,
  visibleColumns,
} from '../../src/settings/table-settings-rules';
import { ROLES } from '../../src/accounts/permissions';

describe('table settings rules (rule 18)', () => {
  it('has defaults that a save would accept, for every table and role', () => {
    for (const table of TABLE_NAMES) {
      for (const role of ROLES) {
        const columns = [...DEFAULT_COLUMNS[table][role]];
        expect(columns.length).toBeLessThanOrEqual(MAX_COLUMNS);
        expect(checkChoice(table, role, { columns, pageSize: 25 }).columns).toEqual(columns);
      }
    }
  });

  it('keeps BUYER for managers', () => {
    for (const table of TABLE_NAMES) {
      expect(columnAllowed(table, 'MANAGER', 'BUYER')).toBe(true);
      expect(columnAllowed(table, 'BUYER', 'BUYER')).toBe(false);
    }
  });

  it('shows of stored columns only those the role may see, the defaults when none is left', () => {
    expect(visibleColumns('CALL_LOG', 'BUYER', ['BUYER', 'CALL_ID'])).toEqual(['CALL_ID']);
    expect(visibleColumns('CALL_LOG', 'BUYER', ['BUYER'])).toEqual(DEFAULT_COLUMNS.CALL_LOG.BUYER);
  });
});

describe('the settings live event', () => {
  const event = { kind: 'settings', userId: randomUUID(), table: 'CALL_LOG' } as const;

  it('travels whole', () => {
    expect(decodeLiveEvent(encodeLiveEvent(event))).toEqual(event);
  });

  it.each([
    ['an unknown table', { ...event, table: 'EXPORTS' }],
    ['a user that is no ID', { ...event, userId: 'everyone' }],
    ['no user', { kind: 'settings', table: 'DISPUTES' }],
  ])('is dropped with %s', (_name, payload) => {
    expect(decodeLiveEvent(JSON.stringify({ v: 1, ...payload }))).toBeNull();
  });
});
