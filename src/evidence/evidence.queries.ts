/*
 * The SQL of the evidence feature, one statement a constant.
 */

/** Which of the object keys in $1 an evidence row names (those stay in the store). */
export const NAMED_OBJECT_KEYS =
  'SELECT object_key FROM evidence WHERE object_key = ANY($1::text[])';

/**
 * Binds the files $3 of owner $4 to dispute $1 where they are still unbound, each pointed at its
 * checked copy ($5) and bound at $2 plus a microsecond per file (the order given); counts them.
 */
export const BIND_EVIDENCE = `WITH bound AS (
       UPDATE evidence e
          SET dispute_id = $1, bound_at = $2::timestamptz + (g.ord - 1) * interval '1 microsecond',
              object_key = g.key
         FROM unnest($3::uuid[], $5::text[]) WITH ORDINALITY AS g(id, key, ord)
        WHERE e.id = g.id AND e.owner_id = $4 AND e.dispute_id IS NULL
        RETURNING e.id)
     SELECT count(*)::int AS n FROM bound`;

/** Unbound files created before $1, oldest first, at most $3, leaving out those in $2. */
export const STALE_UNBOUND_EVIDENCE = `SELECT id FROM evidence
        WHERE dispute_id IS NULL AND created_at < $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY created_at LIMIT $3`;

/** Removes a file's row if it is still unbound, returning its object key. */
export const DELETE_UNBOUND_EVIDENCE = `DELETE FROM evidence WHERE id = $1 AND dispute_id IS NULL RETURNING object_key`;
