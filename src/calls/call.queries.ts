import { selectedColumns } from '../platform/columns';
import { CALL_COLUMNS } from './call.entity';

/*
 * The SQL of the calls feature, one statement a constant. The page queries of the Call Log live
 * in call.service.ts.
 */

/**
 * Rule 15 for many calls ($1) in one statement: per call `k`, the latest call of the same buyer
 * account and caller that started in [k.started_at - window ($2 seconds), k.started_at), ties
 * by the greatest ID; the earlier call's status does not matter. Each lateral lookup is one step
 * down calls_buyer_caller_started_idx (buyer_id, caller_id, started_at DESC, id DESC).
 */
export const DUPLICATES_OF_CALLS = `SELECT k.id AS key_id, ${selectedColumns('e', CALL_COLUMNS).join(', ')}
  FROM calls k
  CROSS JOIN LATERAL (
    SELECT * FROM calls e
     WHERE e.buyer_id = k.buyer_id AND e.caller_id = k.caller_id
       AND e.started_at >= k.started_at - make_interval(secs => $2)
       AND e.started_at < k.started_at
     ORDER BY e.started_at DESC, e.id DESC
     LIMIT 1) e
 WHERE k.id = ANY ($1::uuid[])`;
