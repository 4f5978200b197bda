import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Client } from 'pg';
import { AccountEntity } from './src/accounts/account.entity';
import { UserEntity } from './src/accounts/user.entity';
import { CampaignEntity } from './src/calls/campaign.entity';
import { CallEntity } from './src/calls/call.entity';
import { DisputeEntity } from './src/disputes/dispute.entity';
import { DisputeEventEntity } from './src/disputes/dispute-event.entity';
import { IdempotencyKeyEntity } from './src/disputes/idempotency-key.entity';
import { EvidenceEntity } from './src/evidence/evidence.entity';
import { NotificationEntity } from './src/notifications/notification.entity';
import { DisputeCommentEntity } from './src/disputes/dispute-comment.entity';
import { WebhookDeliveryEntity, WebhookEndpointEntity } from './src/webhooks/webhook.entity';
import { InitialDomain1764140000000 } from './migrations/1764140000000-InitialDomain';
import { WithdrawalCommentsDeadline1764300000000 } from './migrations/1764300000000-WithdrawalCommentsDeadline';
import { DuplicateCalls1764310000000 } from './migrations/1764310000000-DuplicateCalls';
import { CallLatestDispute1764320000000 } from './migrations/1764320000000-CallLatestDispute';
import { Webhooks1764330000000 } from './migrations/1764330000000-Webhooks';
import { DisputesStandingIndex1764340000000 } from './migrations/1764340000000-DisputesStandingIndex';
import { Jobs1764350000000 } from './migrations/1764350000000-Jobs';
import { NotificationEvents1764352000000 } from './migrations/1764352000000-NotificationEvents';
import { ReopenDecisions1764360000000 } from './migrations/1764360000000-ReopenDecisions';
import { TableSettings1764370000000 } from './migrations/1764370000000-TableSettings';
import { Exports1764380000000 } from './migrations/1764380000000-Exports';
import { DisputesOfCallOrder1764390000000 } from './migrations/1764390000000-DisputesOfCallOrder';
import { PG_TYPES } from './src/platform/pg-types';

export const entities = [
  AccountEntity,
  UserEntity,
  CampaignEntity,
  CallEntity,
  DisputeEntity,
  DisputeEventEntity,
  IdempotencyKeyEntity,
  EvidenceEntity,
  NotificationEntity,
  DisputeCommentEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];

/** Listed explicitly (not globbed) so the build and the tests run exactly these, in order. */
export const migrations = [
  InitialDomain1764140000000,
  WithdrawalCommentsDeadline1764300000000,
  DuplicateCalls1764310000000,
  CallLatestDispute1764320000000,
  Webhooks1764330000000,
  DisputesStandingIndex1764340000000,
  Jobs1764350000000,
  NotificationEvents1764352000000,
  ReopenDecisions1764360000000,
  TableSettings1764370000000,
  Exports1764380000000,
  DisputesOfCallOrder1764390000000,
];

/** Bounds on the API's pool, so a stalled or vanished PostgreSQL fails requests instead of hanging them. */
export interface PoolLimits {
  /** Connections in the pool. */
  size: number;
  /** Wait for a pooled connection, or for a new one to open (pg's `connectionTimeoutMillis`). */
  acquireTimeoutMs: number;
  /** PostgreSQL's `statement_timeout` and `idle_in_transaction_session_timeout`. */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = {
  size: 20,
  acquireTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
};

/**
 * PostgreSQL enforces `statement_timeout` itself and answers with an error; the client waits this
 * much longer before giving up on its own, which only happens when the server cannot answer at
 * all (stalled, or gone without closing the socket).
 */
export const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

/**
 * A pg client that closes itself once a statement outlives `query_timeout`. pg answers the caller
 * but leaves the statement on the connection, maybe inside an open transaction whose ROLLBACK is
 * then dropped from the queue: handed to the next request, that connection would run its work in
 * the stale transaction. `end()` marks it so pg-pool discards it when it is released.
 */
export class ClosingOnTimeoutClient extends Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const result = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      result.catch((err: unknown) => {
        if (err instanceof Error && err.message === 'Query read timeout') {
          this.end().catch(() => undefined);
        }
      });
    }
    return result;
  }
}

/** pg pool and connection settings (TypeORM passes `extra` to `pg.Pool` as is). */
export function poolOptions(limits: PoolLimits): Record<string, unknown> {
  return {
    max: limits.size,
    application_name: 'disputes-api',
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: limits.statementTimeoutMs,
    query_timeout: limits.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    Client: ClosingOnTimeoutClient,
    types: PG_TYPES,
  };
}

/** The one place that says how the app talks to PostgreSQL. `synchronize` is never on. */
export function dataSourceOptions(
  url: string,
  extra: Partial<DataSourceOptions> = {},
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: poolOptions(limits),
    ...extra,
  } as DataSourceOptions;
}

/** For the TypeORM CLI: `npx typeorm -d dist/ormconfig.js migration:show`. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/disputes'),
);
