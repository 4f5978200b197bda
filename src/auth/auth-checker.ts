import type { AuthChecker } from 'type-graphql';
import { forbidden } from '../platform/errors';
import type { Context } from '../platform/context';
import type { Permission } from '../accounts/permissions';
import { requireViewer } from './viewer';

/**
 * `@Authorized()` needs a signed-in viewer; `@Authorized('A', 'B')` needs any of those
 * permissions. Unauthenticated comes before forbidden, as the contract orders checks.
 */
export const authChecker: AuthChecker<Context, Permission> = ({ context }, needed) => {
  const viewer = requireViewer(context.viewer);
  if (needed.length === 0 || needed.some((p) => viewer.permissions.has(p))) return true;
  throw forbidden(`This needs the ${needed.join(' or ')} permission.`);
};
