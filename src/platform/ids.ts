import { badInput } from './errors';

/** Row ids are UUIDs: 8-4-4-4-12 hex digits, either case (PostgreSQL's `uuid` accepts both). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name a row; anything else must not reach PostgreSQL as a uuid. */
export const isUuid = (id: string): boolean => UUID_PATTERN.test(id);

/**
 * Refuses, with BAD_USER_INPUT naming `filter.<key>`, any of the filter's ID fields (`keys`)
 * that is not a UUID: list filters check their IDs before any SQL is built.
 */
export function checkFilterIds<F extends object>(
  filter: F | null | undefined,
  keys: (keyof F & string)[],
) {
  for (const key of keys) {
    const id = filter?.[key];
    if (typeof id === 'string' && id && !isUuid(id))
      throw badInput(`filter.${key}`, 'is not a valid ID.');
  }
}
