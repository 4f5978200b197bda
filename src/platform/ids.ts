/** Row ids are UUIDs: 8-4-4-4-12 hex digits, either case (PostgreSQL's `uuid` accepts both). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name a row; anything else must not reach PostgreSQL as a uuid. */
export const isUuid = (id: string): boolean => UUID_PATTERN.test(id);
