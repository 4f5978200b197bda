import type { DataSource, EntityManager } from 'typeorm';
import type { Permission } from '../accounts/permissions';
import { CallEntity } from '../calls/call.entity';
import { disputabilitySql, disputabilitySqlFacts } from '../disputes/dispute-rules';
import { transition } from '../disputes/dispute-transitions';
import { reopenLocked } from '../disputes/dispute-reopen';
import { writeComment } from '../disputes/dispute-comments';
import type { CommentVisibility } from '../disputes/dispute-comment.entity';
import { reviewDueAt } from '../disputes/review-deadline';
import type { Role } from '../accounts/permissions';
import type { DisputeReason } from '../disputes/dispute.entity';
import { withTransaction } from '../platform/transaction';

/**
 * Calls of a buyer account that may be disputed at `now`, newest first (the longest time
 * left), by the same rule as Call.disputability.
 */
export async function disputableCallIds(
  q: DataSource | EntityManager,
  accountId: string,
  now: Date,
  limit: number,
  /** Only calls that started before this instant (a dispute sent in the past). */
  startedBefore: Date = now,
): Promise<string[]> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const viewer = { accountId, permissions: new Set<Permission>(['DISPUTE_CALLS']) };
  const { allowed } = disputabilitySql(
    disputabilitySqlFacts(
      {
        id: 'c.id',
        buyerId: 'c.buyer_id',
        campaignId: 'c.campaign_id',
        status: 'c.status',
        startedAt: 'c.started_at',
      },
      viewer,
      now,
      bind,
    ),
  );
  const rows = (await q.query(
    `SELECT c.id FROM calls c WHERE c.buyer_id = ${bind(accountId)} AND ${allowed}
       AND c.started_at < ${bind(startedBefore)}
     ORDER BY c.started_at DESC, c.id LIMIT ${bind(limit)}`,
    params,
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

export interface DemoDisputePlan {
  accountId: string;
  /** The buyer user who disputes. */
  buyerId: string;
  reason: DisputeReason;
  additionalInfo: string | null;
  /** Decided by this manager, partially accepted for this many minor units. */
  acceptedPartially?: { managerId: string; adjustmentMinor: number; comment: string };
  /**
   * Accepted by this manager (payout to 0.00), then reopened by the same manager with this
   * reason (rule 20): PENDING again, the payout back, CREATED, RESOLVED and REOPENED in its
   * history.
   */
  acceptedThenReopened?: { managerId: string; comment: string; reason: string };
  /**
   * A dispute of the same call that the buyer user sent and withdrew just before this one
   * (rule 12: a withdrawal does not block a new dispute). Takes no call of its own.
   */
  withdrawnFirst?: { reason: DisputeReason; additionalInfo: string | null };
  /**
   * Sent this many hours before the demo is loaded (by default minutes before it); past the
   * review deadline (48 hours) it shows as overdue. Its call was disputable then.
   */
  sentHoursAgo?: number;
  /** A conversation, written while the dispute is PENDING, oldest first. */
  comments?: { authorId: string; authorRole: Role; visibility: CommentVisibility; body: string }[];
}

/** The demo's review deadline: REVIEW_SLA_HOURS's default. */
const DEMO_REVIEW_SLA_HOURS = 48;
/** The demo's window for reopening a decision: REOPEN_WINDOW_HOURS's default. */
const DEMO_REOPEN_WINDOW_HOURS = 168;

/**
 * Disputes for the demo, made through the one transition function (history, notifications and
 * live events included), so the Disputes page, a dispute's history and the decision examples
 * have something to show. Each plan takes the next disputable call of its account, leaving the
 * newest one free for the playground's "send a dispute" example.
 */
export async function seedDemoDisputes(
  ds: DataSource,
  plans: readonly DemoDisputePlan[],
  now: Date,
): Promise<void> {
  await withTransaction(ds, async (em) => {
    const taken = new Map<string, number>();
    for (const [i, plan] of plans.entries()) {
      const next = (taken.get(plan.accountId) ?? 0) + 1;
      taken.set(plan.accountId, next);
      const createdAt = plan.sentHoursAgo
        ? new Date(now.getTime() - plan.sentHoursAgo * 3_600_000)
        : new Date(now.getTime() - (plans.length - i) * 15 * 60_000);
      // A dispute sent in the past took a call that was disputable then.
      const asOf = plan.sentHoursAgo ? createdAt : now;
      const callId = (await disputableCallIds(em, plan.accountId, asOf, next + 1, asOf))[next];
      if (!callId) continue;
      const call = await em.getRepository(CallEntity).findOneByOrFail({ id: callId });
      const [account] = (await em.query('SELECT currency FROM accounts WHERE id = $1', [
        plan.accountId,
      ])) as { currency: string }[];
      const currency = account?.currency ?? 'USD';
      if (plan.withdrawnFirst) {
        const sentAt = new Date(createdAt.getTime() - 10 * 60_000);
        const first = await transition(
          em,
          { dispute: null, call, currency },
          {
            to: 'PENDING',
            ...plan.withdrawnFirst,
            reviewDueAt: reviewDueAt(sentAt, DEMO_REVIEW_SLA_HOURS),
          },
          { id: plan.buyerId, at: sentAt },
        );
        await transition(
          em,
          { dispute: first, call, currency },
          { to: 'WITHDRAWN' },
          { id: plan.buyerId, at: new Date(createdAt.getTime() - 5 * 60_000) },
        );
      }
      const dispute = await transition(
        em,
        { dispute: null, call, currency },
        {
          to: 'PENDING',
          reason: plan.reason,
          additionalInfo: plan.additionalInfo,
          reviewDueAt: reviewDueAt(createdAt, DEMO_REVIEW_SLA_HOURS),
        },
        { id: plan.buyerId, at: createdAt },
      );
      for (const [j, c] of (plan.comments ?? []).entries()) {
        await writeComment(em, {
          dispute,
          currency,
          callerId: call.callerId,
          author: { id: c.authorId, role: c.authorRole },
          body: c.body,
          visibility: c.visibility,
          at: new Date(createdAt.getTime() + (j + 1) * 60_000),
        });
      }
      const decision = plan.acceptedPartially;
      if (decision) {
        await transition(
          em,
          { dispute, call, currency },
          {
            to: 'ACCEPTED_PARTIAL',
            adjustmentMinor: Math.min(decision.adjustmentMinor, call.payoutMinor - 1),
            comment: decision.comment,
          },
          { id: decision.managerId, at: new Date(createdAt.getTime() + 5 * 60_000) },
        );
      }
      const reopened = plan.acceptedThenReopened;
      if (reopened) {
        const accepted = await transition(
          em,
          { dispute, call, currency },
          { to: 'ACCEPTED', adjustmentMinor: call.payoutMinor, comment: reopened.comment },
          { id: reopened.managerId, at: new Date(createdAt.getTime() + 4 * 60_000) },
        );
        // The same checks and move as reopenDispute, on the call as the decision left it.
        const decidedCall = await em.getRepository(CallEntity).findOneByOrFail({ id: callId });
        await reopenLocked(
          em,
          { dispute: accepted, call: decidedCall, currency },
          {
            note: reopened.reason,
            actor: { id: reopened.managerId, at: new Date(createdAt.getTime() + 8 * 60_000) },
            windowHours: DEMO_REOPEN_WINDOW_HOURS,
            reviewSlaHours: DEMO_REVIEW_SLA_HOURS,
          },
        );
      }
    }
  });
}
