import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AccountEntity } from './src/accounts/account.entity';
import { UserEntity } from './src/accounts/user.entity';
import { CampaignEntity } from './src/calls/campaign.entity';
import { CallEntity } from './src/calls/call.entity';
import { DisputeEntity } from './src/disputes/dispute.entity';
import { DisputeEventEntity } from './src/disputes/dispute-event.entity';
import { IdempotencyKeyEntity } from './src/disputes/idempotency-key.entity';
import { EvidenceEntity } from './src/evidence/evidence.entity';
import { NotificationEntity } from './src/notifications/notification.entity';
import { InitialDomain1764140000000 } from './migrations/1764140000000-InitialDomain';

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
];

/** Listed explicitly (not globbed) so the build and the tests run exactly these, in order. */
export const migrations = [InitialDomain1764140000000];

/** The one place that says how the app talks to PostgreSQL. `synchronize` is never on. */
export function dataSourceOptions(
  url: string,
  extra: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 20, application_name: 'disputes-api' },
    ...extra,
  } as DataSourceOptions;
}

/** For the TypeORM CLI: `npx typeorm -d dist/ormconfig.js migration:show`. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/disputes'),
);
