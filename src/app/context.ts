import type { DataSource } from 'typeorm';
import type { App, Context, Loaders } from '../platform/context';
import type { Config } from '../platform/config';
import type { Viewer } from '../auth/viewer';
import { createLoaders } from '../calls/call.loaders';
import { createDisputeLoaders } from '../disputes/dispute.loaders';
import { createAccountLoaders } from '../accounts/account.loaders';

export type { App, Context, Loaders };

/** Fresh per-request loaders (a subscription takes new ones for each event it sends). */
export function createRequestLoaders(ds: DataSource, config: Config): Loaders {
  return {
    ...createAccountLoaders(ds),
    ...createLoaders(ds, { duplicateWindowHours: config.DUPLICATE_WINDOW_HOURS }),
    ...createDisputeLoaders(ds),
  };
}

export function createContext(app: App, viewer: Viewer | null, requestId: string): Context {
  // Both are built on first use: a subscription's context takes each event's loaders instead,
  // and a child logger (with its redaction) costs more than most operations that never log.
  let log: Context['log'] | undefined;
  let loaders: Loaders | undefined;
  return {
    app,
    requestId,
    viewer,
    get log() {
      return (log ??= app.log.child({ requestId, userId: viewer?.id }));
    },
    get loaders() {
      return (loaders ??= createRequestLoaders(app.ds, app.config));
    },
    set loaders(value: Loaders) {
      loaders = value;
    },
  };
}
