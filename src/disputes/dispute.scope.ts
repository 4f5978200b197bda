import type { Viewer } from '../auth/viewer';

/** Buyers see their own account's disputes with DISPUTE_CALLS; managers every dispute with VIEW_DISPUTES. */
export function canListDisputes(viewer: Viewer): boolean {
  return viewer.role === 'BUYER'
    ? viewer.permissions.has('DISPUTE_CALLS')
    : viewer.permissions.has('VIEW_DISPUTES');
}
