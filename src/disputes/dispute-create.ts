import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { reachOf, reachSql } from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { CALL_COLUMNS, callRowMapper } from '../calls/call.entity';
import { ACCOUNT_COLUMNS, accountRowMapper } from '../accounts/account.entity';
import { CAMPAIGN_COLUMNS, campaignRowMapper } from '../calls/campaign.entity';
import { selectedColumns } from '../platform/columns';
import { isUuid } from '../platform/ids';
import { badInput, DomainError, ErrorCode, notFound } from '../platform/errors';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../platform/database';
import { withTransaction } from '../platform/transaction';
import { checkTextLength, codePointLength } from '../platform/text-input';
import { DisputeEntity, type DisputeReason, type DisputeStatus } from './dispute.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import {
  BLOCK_ERROR,
  BLOCK_MESSAGE,
  disputabilityFacts,
  evaluateDisputability,
} from './dispute-rules';
import { transition } from './dispute-transitions';
import { reviewDueAt } from './review-deadline';
import { duplicatesOf } from '../calls/call-duplicates';
import { AUTOMATIC_REVIEW_USER_ID } from '../accounts/system-user';
import type { CreateDisputeInput } from './dispute.types';
import { DISPUTE_STATUSES_OF_CALL, lockVisibleCallSql } from './dispute.queries';
import {
  bindEvidence,
  checkEvidence,
  discardCopies,
  MAX_EVIDENCE_PER_DISPUTE,
  retireUploads,
  type EvidenceCheck,
} from '../evidence/evidence.service';

const callOf = callRowMapper('c');
const accountOf = accountRowMapper('a');
const campaignOf = campaignRowMapper('cp');

/** The call, its account and its campaign, named as the row mappers read them. */
const LOCKED_COLUMNS = [
  ...selectedColumns('c', CALL_COLUMNS),
  ...selectedColumns('a', ACCOUNT_COLUMNS),
  ...selectedColumns('cp', CAMPAIGN_COLUMNS),
].join(', ');

interface CleanCreateInput {
  callId: string;
  reason: DisputeReason;
  additionalInfo: string | null;
  evidenceIds: string[];
  idempotencyKey: string | null;
}

function cleanCreateInput(input: CreateDisputeInput): CleanCreateInput {
  const additionalInfo = input.additionalInfo?.trim() || null;
  checkTextLength('additionalInfo', additionalInfo);
  const evidenceIds = input.evidenceIds ?? [];
  if (evidenceIds.length > MAX_EVIDENCE_PER_DISPUTE) {
    throw badInput(
      'evidenceIds',
      `names ${evidenceIds.length} files; at most ${MAX_EVIDENCE_PER_DISPUTE} are allowed.`,
    );
  }
  if (new Set(evidenceIds.map((id) => id.toLowerCase())).size !== evidenceIds.length) {
    throw badInput('evidenceIds', 'names a file twice.');
  }
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length < 1 || codePointLength(key) > 255)) {
    throw badInput('idempotencyKey', 'must be 1 to 255 characters long.');
  }
  return {
    callId: input.callId,
    reason: input.reason as DisputeReason,
    additionalInfo,
    evidenceIds,
    idempotencyKey: key,
  };
}

const requestHash = (i: CleanCreateInput) =>
  createHash('sha256')
    .update(JSON.stringify([i.callId, i.reason, i.additionalInfo, [...i.evidenceIds].sort()]))
    .digest('hex');

/** The dispute an earlier attempt with this key created, or null; other input under the key is refused. */
async function replayIdempotent(
  ds: DataSource,
  viewer: Viewer,
  input: CleanCreateInput,
): Promise<DisputeEntity | null> {
  if (!input.idempotencyKey) return null;
  const earlier = await ds
    .getRepository(IdempotencyKeyEntity)
    .findOneBy({ userId: viewer.id, key: input.idempotencyKey });
  if (!earlier) return null;
  if (earlier.requestHash !== requestHash(input)) {
    throw badInput(
      'idempotencyKey',
      'was already used with different input; use a new key for a new dispute.',
    );
  }
  return ds.getRepository(DisputeEntity).findOneByOrFail({ id: earlier.disputeId });
}

/**
 * Creates a PENDING dispute. Checks in the contract's order: permission (by the resolver's
 * guard), visibility, then the call's rules through evaluateDisputability, the same function
 * that Call.disputability shows, then the evidence. The evidence is copied and read in the store
 * before the transaction (that may take seconds and must hold neither a connection nor the
 * call's lock); its verdict is reported at its place in that order. One transaction then makes
 * the transition to PENDING and writes the idempotency record and the evidence binding, which
 * points each file at its checked copy. Copies of a dispute that was not created are removed;
 * once it is, the uploaded objects are.
 */
export async function createDispute(
  ctx: Context,
  viewer: Viewer,
  raw: CreateDisputeInput,
): Promise<DisputeEntity> {
  const input = cleanCreateInput(raw);
  const replay = await replayIdempotent(ctx.app.ds, viewer, input);
  if (replay) return replay;
  const evidence = await checkEvidence(ctx, viewer, input.evidenceIds);
  let dispute: DisputeEntity;
  try {
    dispute = await createOnce(ctx, viewer, input, evidence);
  } catch (err) {
    // No dispute: the copies made to check its files go again (any a row names stays).
    await discardCopies(
      ctx,
      evidence.copies.map((c) => c.key),
    );
    // A concurrent attempt with the same key may have won meanwhile: answer with its dispute.
    const again = await replayIdempotent(ctx.app.ds, viewer, input);
    if (again) return again;
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
      throw new DomainError(ErrorCode.DISPUTE_ALREADY_ACTIVE, BLOCK_MESSAGE.DISPUTE_PENDING);
    }
    throw err;
  } finally {
    // Later fields of this request (e.g. call.disputability) must see the new dispute.
    ctx.loaders.disputesOfCall.clear(input.callId);
  }
  await retireUploads(ctx, evidence.copies);
  return dispute;
}

async function createOnce(
  ctx: Context,
  viewer: Viewer,
  input: CleanCreateInput,
  evidence: EvidenceCheck,
): Promise<DisputeEntity> {
  if (!isUuid(input.callId)) throw notFound('call', input.callId);
  return withTransaction(ctx.app.ds, async (em) => {
    // Visibility, then the call's rules, then the evidence: the contract's order. The
    // call's row lock serializes disputes of one call, so the rules are decided on what
    // is committed; the partial unique index disputes_one_pending_per_call holds the
    // rule even without it.
    const params: unknown[] = [input.callId];
    const visible = reachSql(reachOf(viewer, 'call'), 'c.buyer_id', positional(params));
    const [row] = (await em.query(lockVisibleCallSql(LOCKED_COLUMNS, visible), params)) as Record<
      string,
      unknown
    >[];
    if (!row) throw notFound('call', input.callId);
    const call = callOf(row);
    const account = accountOf(row);
    const campaign = campaignOf(row);
    // Read after the lock is held, in a statement of its own: a statement that waited for the
    // lock still sees the disputes as they were when it began.
    const history = (await em.query(DISPUTE_STATUSES_OF_CALL, [call.id])) as {
      status: DisputeStatus;
    }[];
    const now = ctx.app.now();
    const verdict = evaluateDisputability(
      disputabilityFacts({ viewer, call, campaign, account, disputes: history, now }),
    );
    if (verdict.blockedBy)
      throw new DomainError(BLOCK_ERROR[verdict.blockedBy], BLOCK_MESSAGE[verdict.blockedBy]);
    if (evidence.refusal) throw evidence.refusal;

    // Rule 15: a duplicate call of an account that auto-accepts is decided in this transaction.
    const earlier =
      input.reason === 'DUPLICATE_CALL' && account.autoAcceptDuplicates
        ? ((await duplicatesOf(em, [call.id], ctx.app.config.DUPLICATE_WINDOW_HOURS)).get(
            call.id,
          ) ?? null)
        : null;
    const subject = { call, currency: account.currency };
    let dispute = await transition(
      em,
      { ...subject, dispute: null },
      {
        to: 'PENDING',
        reason: input.reason,
        additionalInfo: input.additionalInfo,
        reviewDueAt: reviewDueAt(now, ctx.app.config.REVIEW_SLA_HOURS),
        decidedAtOnce: earlier !== null,
      },
      { id: viewer.id, at: now },
    );
    if (earlier) {
      dispute = await transition(
        em,
        { ...subject, dispute },
        {
          to: 'ACCEPTED',
          adjustmentMinor: call.payoutMinor,
          comment: `Accepted automatically: a duplicate of call ${earlier.id}.`,
        },
        { id: AUTOMATIC_REVIEW_USER_ID, at: now },
      );
      ctx.loaders.call.clear(call.id);
    }
    if (input.idempotencyKey) {
      await em.getRepository(IdempotencyKeyEntity).insert({
        userId: viewer.id,
        key: input.idempotencyKey,
        requestHash: requestHash(input),
        disputeId: dispute.id,
        createdAt: now,
      });
    }
    // Conditional: a file bound or swept since the check above makes the whole dispute fail.
    await bindEvidence(em, viewer, dispute.id, evidence.copies, now);
    return dispute;
  });
}
