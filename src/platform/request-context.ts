import { AsyncLocalStorage } from 'node:async_hooks';

/** What every layer may learn about the operation it serves, without threading it through. */
export interface RequestScope {
  requestId: string;
  sqlStatements: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
