import type { DisputeEntity } from './dispute.entity';

/*
 * Rule 14, written once: the deadline fixed at creation, and "overdue" in TypeScript (the
 * `overdue` field) beside its SQL (overdueDisputesCount, filter.overdue), both read against the
 * server's clock.
 */

/**
 * createdAt plus REVIEW_SLA_HOURS (a decimal number of hours), to the millisecond the column
 * keeps; at least 1 ms later, as the table's check requires, however small the SLA.
 */
export function reviewDueAt(createdAt: Date, slaHours: number): Date {
  return new Date(createdAt.getTime() + Math.max(1, Math.round(slaHours * 3_600_000)));
}

/** PENDING and the clock has reached the deadline. */
export function isOverdue(d: Pick<DisputeEntity, 'status' | 'reviewDueAt'>, now: Date): boolean {
  return d.status === 'PENDING' && now.getTime() >= d.reviewDueAt.getTime();
}

/**
 * SQL twin of isOverdue (`overdue` true) or of "PENDING and not overdue" (false) over `alias`
 * (the disputes table); `now` is the placeholder bound to the server's clock.
 */
export function overdueSql(alias: string, overdue: boolean, now: string): string {
  return `${alias}.status = 'PENDING' AND ${alias}.review_due_at ${overdue ? '<=' : '>'} ${now}`;
}
