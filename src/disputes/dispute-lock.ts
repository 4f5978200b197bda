import type { EntityManager } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import { mayView } from '../auth/visibility';
import { CALL_COLUMNS, callRowMapper, type CallEntity } from '../calls/call.entity';
import { selectedColumns } from '../platform/columns';
import { notFound } from '../platform/errors';
import { DISPUTE_COLUMNS, disputeRowMapper, type DisputeEntity } from './dispute.entity';
import { COMMENT_COUNT_COLUMN, lockDisputeSql } from './dispute.queries';

export interface LockOptions {
  /** Lock the call's row too: a decision changes the call's payout. */
  lockCall: boolean;
  /** Also count the dispute's comments, in the same statement (only addDisputeComment asks). */
  countComments?: boolean;
}

export interface LockedDispute {
  dispute: DisputeEntity;
  call: CallEntity;
  /** The buyer account's currency, for the amounts of the transition's payloads. */
  currency: string;
  /** The dispute's comments when counted (countComments), else null. */
  commentCount: number | null;
}

const COLUMNS = [
  ...selectedColumns('d', DISPUTE_COLUMNS),
  ...selectedColumns('c', CALL_COLUMNS),
  'a.currency AS a_currency',
];

const lockStatement = (o: LockOptions) =>
  lockDisputeSql(
    [...COLUMNS, ...(o.countComments ? [COMMENT_COUNT_COLUMN] : [])].join(', '),
    o.lockCall,
  );
const disputeOf = disputeRowMapper('d');
const callOf = callRowMapper('c');

/**
 * The one statement every change of an existing dispute starts with, in the caller's
 * transaction: locks the dispute (and, when asked, its call), so decisions, withdrawals and
 * comments of one dispute queue up behind each other and each reads the status the one before
 * it left; loads the call and the account's currency with it. A dispute that does not exist
 * and one the viewer may not see are the same NOT_FOUND.
 */
export async function lockVisibleDispute(
  em: EntityManager,
  viewer: Viewer,
  disputeId: string,
  options: LockOptions,
): Promise<LockedDispute> {
  const [row] = (await em.query(lockStatement(options), [disputeId])) as Record<string, unknown>[];
  if (!row) throw notFound('dispute', disputeId);
  const dispute = disputeOf(row);
  if (!mayView(viewer, 'dispute', dispute.buyerId)) throw notFound('dispute', disputeId);
  return {
    dispute,
    call: callOf(row),
    currency: row.a_currency as string,
    commentCount: options.countComments ? (row.comment_count as number) : null,
  };
}
