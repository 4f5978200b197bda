import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import type { Viewer } from '../auth/viewer';

/**
 * The one place that says which buyer accounts' rows a viewer may see: a buyer sees its
 * own account only; a manager sees every account (narrowed by `buyerId` when asked).
 * `column` is the SQL of the row's buyer account id, e.g. `c.buyer_id`.
 */
export function scopeToViewer<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  viewer: Viewer,
  column: string,
  managerBuyerId?: string | null,
): SelectQueryBuilder<T> {
  if (viewer.role === 'BUYER') {
    return qb.andWhere(`${column} = :scopeAccountId`, { scopeAccountId: viewer.accountId });
  }
  if (managerBuyerId) {
    return qb.andWhere(`${column} = :scopeBuyerId`, { scopeBuyerId: managerBuyerId });
  }
  return qb;
}

/** Whether the viewer may see rows of this buyer account at all. */
export function canSeeAccount(viewer: Viewer, accountId: string): boolean {
  return viewer.role === 'MANAGER' || viewer.accountId === accountId;
}
