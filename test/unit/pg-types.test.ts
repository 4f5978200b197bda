import { types } from 'pg';
import { parseTimestamptz } from '../../src/platform/pg-types';

const general = types.getTypeParser(1184, 'text') as (s: string) => unknown;

describe('parseTimestamptz', () => {
  it('reads what pg’s general parser reads, to the millisecond', () => {
    const samples = [
      '2026-11-30 17:00:34+00',
      '2026-11-30 17:00:34.1+00',
      '2026-11-30 17:00:34.12+00',
      '2026-11-30 17:00:34.123+00',
      '2026-11-30 17:00:34.123456+00',
      '2026-11-30 17:00:34.999999+00',
      '2024-02-29 23:59:59.5+05:30',
      '2024-03-01 00:00:00.000001-08',
      '1999-12-31 23:59:59.99-03:30',
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+14',
    ];
    for (const s of samples) {
      const fast = parseTimestamptz(s) as Date;
      expect(fast).toBeInstanceOf(Date);
      expect(fast.toISOString()).toBe((general(s) as Date).toISOString());
    }
  });

  it('hands other forms to the general parser', () => {
    for (const s of [
      'infinity',
      '-infinity',
      '0099-01-01 00:00:00+00',
      '2020-01-01 00:00:00+00 BC',
    ]) {
      expect(parseTimestamptz(s)).toEqual(general(s));
    }
  });
});
