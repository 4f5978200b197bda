import { createHash, randomUUID } from 'node:crypto';
import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Context } from '../platform/context';
import type { Viewer } from '../auth/viewer';
import { CallEntity } from '../calls/call.entity';
import { AccountEntity } from '../accounts/account.entity';
import { CampaignEntity } from '../calls/campaign.entity';
import { scopeToViewer } from '../calls/call.scope';
import { isUuid } from '../platform/ids';
import { badInput, DomainError, ErrorCode, notFound } from '../platform/errors';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../platform/database';
import { checkFirst, type Page } from '../platform/pagination';
import {
  bigintKey,
  dateKey,
  keysetPage,
  smallintKey,
  uuidKey,
  type SortKey,
} from '../platform/keyset';
import { formatMinor } from '../platform/money';
import { codePointLength } from '../platform/text-input';
import { DisputeEntity, type DisputeReason, type DisputeStatus } from './dispute.entity';
import { DisputeEventEntity } from './dispute-event.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { canListDisputes } from './dispute.scope';
import {
  BLOCK_ERROR,
  BLOCK_MESSAGE,
  disputabilityFacts,
  evaluateDisputability,
} from './dispute-rules';
import type {
  CreateDisputeInput,
  DisputeFilter,
  DisputeOrder,
  ResolveDisputeInput,
} from './dispute.types';
import {
  bindEvidence,
  checkEvidence,
  MAX_EVIDENCE_PER_DISPUTE,
} from '../evidence/evidence.service';
import { recordDisputeCreated, recordDisputeResolved } from '../notifications/notification.service';

export const MAX_TEXT_LENGTH = 2000;
export const MAX_BULK_DECISIONS = 100;
const MAX_SEARCH_LENGTH = 100;

// ---------------------------------------------------------------- reading

/** Buyer: its account's PENDING disputes. Manager: all PENDING. 0 without the permission. */
export async function countPendingDisputes(ctx: Context, viewer: Viewer): Promise<number> {
  if (!canListDisputes(viewer)) return 0;
  const qb = ctx.app.ds
    .getRepository(DisputeEntity)
    .createQueryBuilder('d')
    .where(`d.status = 'PENDING'`);
  return scopeToViewer(qb, viewer, 'd.buyer_id').getCount();
}

/** A dispute the viewer may see, or null: a foreign one looks exactly like a missing one. */
export async function findVisibleDispute(
  ctx: Context,
  viewer: Viewer,
  id: string,
): Promise<DisputeEntity | null> {
  if (!isUuid(id) || !canListDisputes(viewer)) return null;
  const qb = ctx.app.ds
    .getRepository(DisputeEntity)
    .createQueryBuilder('d')
    .where('d.id = :id', { id });
  return scopeToViewer(qb, viewer, 'd.buyer_id').getOne();
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filteredDisputes(
  ctx: Context,
  viewer: Viewer,
  filter: DisputeFilter | undefined | null,
  search: string | null,
) {
  const qb = ctx.app.ds.getRepository(DisputeEntity).createQueryBuilder('d');
  if (filter?.buyerId && !isUuid(filter.buyerId))
    throw badInput('filter.buyerId', 'is not a valid ID.');
  if (filter?.campaignId && !isUuid(filter.campaignId))
    throw badInput('filter.campaignId', 'is not a valid ID.');
  scopeToViewer(qb, viewer, 'd.buyer_id', filter?.buyerId);
  if (filter?.status?.length)
    qb.andWhere('d.status IN (:...statuses)', { statuses: filter.status });
  if (filter?.reason?.length) qb.andWhere('d.reason IN (:...reasons)', { reasons: filter.reason });
  if (filter?.callDateFrom)
    qb.andWhere('d.call_started_at >= :callFrom', { callFrom: filter.callDateFrom });
  if (filter?.callDateTo) qb.andWhere('d.call_started_at < :callTo', { callTo: filter.callDateTo });
  if (filter?.campaignId) {
    qb.andWhere(
      'EXISTS (SELECT 1 FROM calls fc WHERE fc.id = d.call_id AND fc.campaign_id = :campaignId)',
      {
        campaignId: filter.campaignId,
      },
    );
  }
  if (filter?.hasRecording !== undefined && filter.hasRecording !== null) {
    qb.andWhere(
      `${filter.hasRecording ? '' : 'NOT '}EXISTS (SELECT 1 FROM calls rc WHERE rc.id = d.call_id AND rc.recording_key IS NOT NULL)`,
    );
  }
  if (search) {
    // Both sides use trigram indexes (disputes_id_text_trgm_idx, calls_*_trgm_idx).
    qb.andWhere(
      new Brackets((w) =>
        w
          .where(`d.id::text ILIKE :q`)
          .orWhere(
            `d.call_id IN (SELECT sc.id FROM calls sc WHERE sc.caller_id ILIKE :q OR sc.destination ILIKE :q)`,
          ),
      ),
      { q: likePattern(search) },
    );
  }
  return qb;
}

const NEWEST_FIRST: SortKey<DisputeEntity>[] = [
  dateKey('d.created_at', 'DESC', (d) => d.createdAt),
  uuidKey('d.id', 'DESC', (d) => d.id),
];

function sortKeys(order: DisputeOrder | null | undefined): {
  tag: string;
  keys: SortKey<DisputeEntity>[];
  payout: boolean;
} {
  const dir = order?.direction ?? 'ASC';
  switch (order?.field ?? 'STATUS') {
    case 'STATUS':
      return {
        tag: `status-${dir}`,
        payout: false,
        keys: [smallintKey('d.status_rank', dir, (d) => d.statusRank), ...NEWEST_FIRST],
      };
    case 'CALL_DATE':
      return {
        tag: `call-${dir}`,
        payout: false,
        keys: [dateKey('d.call_started_at', dir, (d) => d.callStartedAt), ...NEWEST_FIRST],
      };
    case 'CREATED_AT':
      return {
        tag: `created-${dir}`,
        payout: false,
        keys: [dateKey('d.created_at', dir, (d) => d.createdAt), uuidKey('d.id', dir, (d) => d.id)],
      };
    case 'PAYOUT':
      return {
        tag: `payout-${dir}`,
        payout: true,
        keys: [
          bigintKey('pc.payout_minor', dir, (_d, raw) => Number(raw.payout_minor)),
          ...NEWEST_FIRST,
        ],
      };
  }
}

export async function listDisputes(
  ctx: Context,
  viewer: Viewer,
  args: {
    filter?: DisputeFilter | null;
    search?: string | null;
    orderBy?: DisputeOrder | null;
    first: number;
    after?: string | null;
  },
): Promise<Page<DisputeEntity>> {
  const first = checkFirst(args.first);
  const search = args.search?.trim() || null;
  if (search && codePointLength(search) > MAX_SEARCH_LENGTH)
    throw badInput('search', `is longer than ${MAX_SEARCH_LENGTH} characters.`);
  const { tag, keys, payout } = sortKeys(args.orderBy);
  const qb = filteredDisputes(ctx, viewer, args.filter, search);
  if (payout)
    qb.innerJoin(CallEntity, 'pc', 'pc.id = d.call_id').addSelect(
      'pc.payout_minor',
      'payout_minor',
    );
  const countQb: SelectQueryBuilder<DisputeEntity> = filteredDisputes(
    ctx,
    viewer,
    args.filter,
    search,
  );
  return keysetPage({ qb, tag, keys, first, after: args.after, count: () => countQb.getCount() });
}

// ---------------------------------------------------------------- creating

interface CleanCreateInput {
  callId: string;
  reason: DisputeReason;
  additionalInfo: string | null;
  evidenceIds: string[];
  idempotencyKey: string | null;
}

function cleanCreateInput(input: CreateDisputeInput): CleanCreateInput {
  const additionalInfo = input.additionalInfo?.trim() || null;
  const infoLength = additionalInfo ? codePointLength(additionalInfo) : 0;
  if (infoLength > MAX_TEXT_LENGTH) {
    throw badInput(
      'additionalInfo',
      `is ${infoLength} characters long; at most ${MAX_TEXT_LENGTH} are allowed.`,
    );
  }
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
  ctx: Context,
  viewer: Viewer,
  input: CleanCreateInput,
): Promise<DisputeEntity | null> {
  if (!input.idempotencyKey) return null;
  const earlier = await ctx.app.ds
    .getRepository(IdempotencyKeyEntity)
    .findOneBy({ userId: viewer.id, key: input.idempotencyKey });
  if (!earlier) return null;
  if (earlier.requestHash !== requestHash(input)) {
    throw badInput(
      'idempotencyKey',
      'was already used with different input; use a new key for a new dispute.',
    );
  }
  return ctx.app.ds.getRepository(DisputeEntity).findOneByOrFail({ id: earlier.disputeId });
}

/**
 * Creates a PENDING dispute. Checks in the contract's order: permission (by the resolver's
 * guard), visibility, then the call's rules through evaluateDisputability, the same function
 * that Call.disputability shows. One transaction writes the dispute, its CREATED event, its
 * idempotency record, its evidence binding and the managers' notifications.
 */
export async function createDispute(
  ctx: Context,
  viewer: Viewer,
  raw: CreateDisputeInput,
): Promise<DisputeEntity> {
  const input = cleanCreateInput(raw);
  const replay = await replayIdempotent(ctx, viewer, input);
  if (replay) return replay;
  try {
    return await createOnce(ctx, viewer, input);
  } catch (err) {
    // A concurrent attempt with the same key may have won meanwhile: answer with its dispute.
    const again = await replayIdempotent(ctx, viewer, input);
    if (again) return again;
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
      throw new DomainError(ErrorCode.DISPUTE_ALREADY_ACTIVE, BLOCK_MESSAGE.DISPUTE_PENDING);
    }
    throw err;
  } finally {
    // Later fields of this request (e.g. call.disputability) must see the new dispute.
    ctx.loaders.disputesOfCall.clear(input.callId);
  }
}

async function createOnce(
  ctx: Context,
  viewer: Viewer,
  input: CleanCreateInput,
): Promise<DisputeEntity> {
  if (!isUuid(input.callId)) throw notFound('call', input.callId);
  return ctx.app.ds.transaction(async (em) => {
    // Visibility, then the call's rules, then the evidence: the contract's order. The
    // call's row lock serializes disputes of one call, so the rules are decided on what
    // is committed; the partial unique index disputes_one_pending_per_call holds the
    // rule even without it.
    const call = await em
      .getRepository(CallEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id AND c.buyer_id = :accountId', {
        id: input.callId,
        accountId: viewer.accountId,
      })
      .getOne();
    if (!call) throw notFound('call', input.callId);

    // One connection runs one statement at a time: no Promise.all inside a transaction.
    const account = await em.getRepository(AccountEntity).findOneByOrFail({ id: call.buyerId });
    const campaign = await em
      .getRepository(CampaignEntity)
      .findOneByOrFail({ id: call.campaignId });
    const history = await em
      .getRepository(DisputeEntity)
      .find({ where: { callId: call.id }, select: { id: true, status: true } });
    const now = ctx.app.now();
    const verdict = evaluateDisputability(
      disputabilityFacts({ viewer, call, campaign, account, disputes: history, now }),
    );
    if (verdict.blockedBy)
      throw new DomainError(BLOCK_ERROR[verdict.blockedBy], BLOCK_MESSAGE[verdict.blockedBy]);
    await checkEvidence(ctx, viewer, input.evidenceIds);

    const dispute = em.getRepository(DisputeEntity).create({
      id: randomUUID(),
      callId: call.id,
      buyerId: call.buyerId,
      status: 'PENDING',
      reason: input.reason,
      additionalInfo: input.additionalInfo,
      callStartedAt: call.startedAt,
      createdById: viewer.id,
      createdAt: now,
      decidedAt: null,
      decidedById: null,
      adjustmentMinor: null,
      decisionComment: null,
    });
    await em.getRepository(DisputeEntity).insert(dispute);
    await em.getRepository(DisputeEventEntity).insert({
      id: randomUUID(),
      disputeId: dispute.id,
      type: 'CREATED',
      at: now,
      actorId: viewer.id,
      statusBefore: null,
      statusAfter: 'PENDING',
      payoutBeforeMinor: call.payoutMinor,
      payoutAfterMinor: call.payoutMinor,
      currency: account.currency,
    });
    if (input.idempotencyKey) {
      await em.getRepository(IdempotencyKeyEntity).insert({
        userId: viewer.id,
        key: input.idempotencyKey,
        requestHash: requestHash(input),
        disputeId: dispute.id,
        createdAt: now,
      });
    }
    await bindEvidence(em, viewer, dispute.id, input.evidenceIds, now);
    await recordDisputeCreated(em, dispute);
    return em.getRepository(DisputeEntity).findOneByOrFail({ id: dispute.id });
  });
}

// ---------------------------------------------------------------- deciding

const OUTCOMES: readonly DisputeStatus[] = ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'];

/**
 * The one transition out of PENDING. Locks the dispute and its call, checks it is still
 * PENDING (before any amount rule, so a retry always reads DISPUTE_ALREADY_RESOLVED), then
 * writes status, decision, payout, RESOLVED event and notifications together.
 */
export async function resolveDispute(
  ctx: Context,
  viewer: Viewer,
  input: ResolveDisputeInput,
): Promise<DisputeEntity> {
  const outcome = input.outcome as DisputeStatus;
  if (!OUTCOMES.includes(outcome))
    throw badInput('outcome', 'must be ACCEPTED, ACCEPTED_PARTIAL or REJECTED.');
  const comment = input.comment?.trim() || null;
  const commentLength = comment ? codePointLength(comment) : 0;
  if (commentLength > MAX_TEXT_LENGTH) {
    throw badInput(
      'comment',
      `is ${commentLength} characters long; at most ${MAX_TEXT_LENGTH} are allowed.`,
    );
  }
  if (!isUuid(input.disputeId)) throw notFound('dispute', input.disputeId);

  return ctx.app.ds.transaction(async (em: EntityManager) => {
    const dispute = await em
      .getRepository(DisputeEntity)
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.id = :id', { id: input.disputeId })
      .getOne();
    if (!dispute) throw notFound('dispute', input.disputeId);
    if (dispute.status !== 'PENDING') {
      throw new DomainError(
        ErrorCode.DISPUTE_ALREADY_RESOLVED,
        `This dispute was already decided (${dispute.status}); decisions are final.`,
      );
    }
    const call = await em
      .getRepository(CallEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id: dispute.callId })
      .getOneOrFail();
    const account = await em.getRepository(AccountEntity).findOneByOrFail({ id: dispute.buyerId });

    const amount = input.adjustmentAmount ?? null;
    let adjustment: number;
    if (outcome === 'ACCEPTED_PARTIAL') {
      if (amount === null) throw badInput('adjustmentAmount', 'is required for ACCEPTED_PARTIAL.');
      if (amount <= 0 || amount >= call.payoutMinor) {
        throw badInput(
          'adjustmentAmount',
          `must be more than 0.00 and less than the call's payout of ${formatMinor(call.payoutMinor)} ${account.currency}.`,
        );
      }
      adjustment = amount;
    } else {
      if (amount !== null) throw badInput('adjustmentAmount', `must be absent for ${outcome}.`);
      adjustment = outcome === 'ACCEPTED' ? call.payoutMinor : 0;
    }

    const now = ctx.app.now();
    const payoutAfter = call.payoutMinor - adjustment;
    const updated = await em
      .getRepository(DisputeEntity)
      .createQueryBuilder()
      .update()
      .set({
        status: outcome,
        decidedAt: now,
        decidedById: viewer.id,
        adjustmentMinor: adjustment,
        decisionComment: comment,
      })
      .where(`id = :id AND status = 'PENDING'`, { id: dispute.id })
      .execute();
    if (updated.affected !== 1)
      throw new DomainError(
        ErrorCode.DISPUTE_ALREADY_RESOLVED,
        'This dispute was already decided.',
      );
    if (adjustment > 0)
      await em.getRepository(CallEntity).update({ id: call.id }, { payoutMinor: payoutAfter });
    await em.getRepository(DisputeEventEntity).insert({
      id: randomUUID(),
      disputeId: dispute.id,
      type: 'RESOLVED',
      at: now,
      actorId: viewer.id,
      statusBefore: 'PENDING',
      statusAfter: outcome,
      payoutBeforeMinor: call.payoutMinor,
      payoutAfterMinor: payoutAfter,
      currency: account.currency,
    });
    const decided = await em.getRepository(DisputeEntity).findOneByOrFail({ id: dispute.id });
    await recordDisputeResolved(em, decided);
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
