import { selectedColumns } from '../platform/columns';
import { CALL_COLUMNS } from './call.entity';

/*
 * The SQL of the calls feature, one statement a constant. The page queries of the Call Log live
 * in call.service.ts.
 */

/**
 * Rule 15 for a call `call` of a query: the latest call of the same buyer account and caller
 * that started in [started_at - window, started_at), ties by the greatest ID; the earlier call's
 * status does not matter. Each lateral lookup is one step down calls_buyer_caller_started_idx
 * (buyer_id, caller_id, started_at DESC, id DESC).
 */
const earlierCallSql = (call: string, windowSeconds: string) => `(
    SELECT * FROM calls e
     WHERE e.buyer_id = ${call}.buyer_id AND e.caller_id = ${call}.caller_id
       AND e.started_at >= ${call}.started_at - make_interval(secs => ${windowSeconds})
       AND e.started_at < ${call}.started_at
     ORDER BY e.started_at DESC, e.id DESC
     LIMIT 1)`;

/** Rule 15 for many calls ($1) in one statement, the window $2 seconds. */
export const DUPLICATES_OF_CALLS = `SELECT k.id AS key_id, ${selectedColumns('e', CALL_COLUMNS).join(', ')}
  FROM calls k
  CROSS JOIN LATERAL ${earlierCallSql('k', '$2')} e
 WHERE k.id = ANY ($1::uuid[])`;

/**
 * The same for each row of a query over `calls ${call}`, as a join: the earlier call's columns
 * under `as`, all null for a call that has none. `windowSeconds` is the bound placeholder.
 */
export const duplicateOfJoinSql = (call: string, as: string, windowSeconds: string) =>
  `LEFT JOIN LATERAL ${earlierCallSql(call, windowSeconds)} ${as} ON true`;
