import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { isUuid } from '../platform/ids';
import { badInput, DomainError, ErrorCode, notFound } from '../platform/errors';
import { formatMinor } from '../platform/money';
import { checkTextLength } from '../platform/text-input';
import { withTransaction } from '../platform/transaction';
import type { DisputeEntity } from './dispute.entity';
import { lockVisibleDispute } from './dispute-lock';
import { assertCanMove, DECISIONS, transition, type DecisionStatus } from './dispute-transitions';
import type { ResolveDisputeInput } from './dispute.types';

export const MAX_BULK_DECISIONS = 100;

/**
 * Decides a PENDING dispute. Locks the dispute and its call, checks the move (before any amount
 * rule, so a retry always reads DISPUTE_ALREADY_RESOLVED), then makes the transition, which
 * writes status, decision, payout, RESOLVED event and notifications together.
 */
export async function resolveDispute(
  ctx: Context,
  viewer: Viewer,
  input: ResolveDisputeInput,
): Promise<DisputeEntity> {
  const outcome = input.outcome as DecisionStatus;
  if (!DECISIONS.includes(outcome))
    throw badInput('outcome', 'must be ACCEPTED, ACCEPTED_PARTIAL or REJECTED.');
  const comment = input.comment?.trim() || null;
  checkTextLength('comment', comment);
  if (!isUuid(input.disputeId)) throw notFound('dispute', input.disputeId);

  return withTransaction(ctx.app.ds, async (em) => {
    // One statement locks the dispute and its call (the payout changes) and reads the
    // account's currency.
    const { dispute, call, currency } = await lockVisibleDispute(em, viewer, input.disputeId, {
      lockCall: true,
    });
    assertCanMove(dispute, outcome);

    const amount = input.adjustmentAmount ?? null;
    let adjustment: number;
    if (outcome === 'ACCEPTED_PARTIAL') {
      if (amount === null) throw badInput('adjustmentAmount', 'is required for ACCEPTED_PARTIAL.');
      if (amount <= 0 || amount >= call.payoutMinor) {
        throw badInput(
          'adjustmentAmount',
          `must be more than 0.00 and less than the call's payout of ${formatMinor(call.payoutMinor)} ${currency}.`,
        );
      }
      adjustment = amount;
    } else {
      if (amount !== null) throw badInput('adjustmentAmount', `must be absent for ${outcome}.`);
      adjustment = outcome === 'ACCEPTED' ? call.payoutMinor : 0;
    }

    const decided = await transition(
      em,
      { dispute, call, currency },
      { to: outcome, adjustmentMinor: adjustment, comment },
      { id: viewer.id, at: ctx.app.now() },
    );
    ctx.loaders.call.clear(call.id);
    ctx.loaders.disputesOfCall.clear(call.id);
    return decided;
  });
}

export interface BulkResult {
  disputeId: string;
  dispute: DisputeEntity | null;
  error: { code: string; message: string } | null;
}

/** Each item in its own transaction; one result per input, in input order. */
export async function resolveDisputes(
  ctx: Context,
  viewer: Viewer,
  inputs: ResolveDisputeInput[],
): Promise<BulkResult[]> {
  if (inputs.length > MAX_BULK_DECISIONS) {
    throw badInput(
      'inputs',
      `holds ${inputs.length} decisions; at most ${MAX_BULK_DECISIONS} are allowed at once.`,
    );
  }
  const results: BulkResult[] = [];
  for (const input of inputs) {
    try {
      results.push({
        disputeId: input.disputeId,
        dispute: await resolveDispute(ctx, viewer, input),
        error: null,
      });
    } catch (err) {
      if (err instanceof DomainError) {
        results.push({
          disputeId: input.disputeId,
          dispute: null,
          error: { code: err.code, message: err.message },
        });
      } else {
        ctx.log.error({ err, disputeId: input.disputeId }, 'bulk decision item failed');
        results.push({
          disputeId: input.disputeId,
          dispute: null,
          error: {
            code: ErrorCode.INTERNAL_SERVER_ERROR,
            message: 'Something went wrong on our side; this item was not decided.',
          },
        });
      }
    }
  }
  return results;
}
