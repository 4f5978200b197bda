import { DomainError, ErrorCode } from './errors';

/** For operations of the contract that this version does not serve yet. */
export function notImplemented(operation: string): never {
  throw new DomainError(ErrorCode.NOT_IMPLEMENTED, `${operation} is not available yet.`);
}
