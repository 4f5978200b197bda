import type { DataSource, EntityManager } from 'typeorm';
import { callRowMapper, type CallEntity } from './call.entity';
import { DUPLICATES_OF_CALLS } from './call.queries';

export { duplicateOfJoinSql } from './call.queries';

const earlierCallOf = callRowMapper('e');

/**
 * Rule 15: call ID to its duplicateOf, for the calls that have one (no scoping: same account
 * by definition), read by DUPLICATES_OF_CALLS.
 */
export async function duplicatesOf(
  db: DataSource | EntityManager,
  callIds: string[],
  windowHours: number,
): Promise<Map<string, CallEntity>> {
  const rows = (await db.query(DUPLICATES_OF_CALLS, [callIds, windowHours * 3600])) as Record<
    string,
    unknown
  >[];
  return new Map(rows.map((r) => [r.key_id as string, earlierCallOf(r)]));
}
