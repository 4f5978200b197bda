import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker';
import { ViewerResolver } from '../auth/viewer.resolver';
import { CallResolver, RecordingResolver } from '../calls/call.resolver';
import {
  DisputeDecisionResolver,
  DisputeEventResolver,
  DisputeResolver,
} from '../disputes/dispute.resolver';
import {
  DisputeCommentResolver,
  DisputeLifecycleResolver,
} from '../disputes/dispute-lifecycle.resolver';
import { DisputeStatsResolver } from '../disputes/dispute-stats.resolver';
import { EvidenceResolver } from '../evidence/evidence.resolver';
import {
  LiveResolver,
  NotificationResolver,
  ViewerNotificationsResolver,
} from '../notifications/notification.resolver';
import { ViewerDisputesResolver } from '../disputes/viewer-disputes.resolver';
import { CallDisputesResolver } from '../disputes/call-disputes.resolver';
import { applyExecutionBudget } from '../platform/execution-budget';
import { DateTimeScalar } from '../platform/scalars';
import { guardTextArguments } from '../platform/text-input';
import { ExportProgressResolver, ExportResolver } from '../exports/export.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { buildSchemaWithDirectResolvers } from './type-graphql-direct-resolvers';
import {
  TableSettingsResolver,
  ViewerTableSettingsResolver,
} from '../settings/table-settings.resolver';

export const resolvers = [
  ViewerResolver,
  ViewerDisputesResolver,
  ViewerNotificationsResolver,
  ViewerTableSettingsResolver,
  CallResolver,
  RecordingResolver,
  CallDisputesResolver,
  DisputeResolver,
  DisputeDecisionResolver,
  DisputeEventResolver,
  DisputeLifecycleResolver,
  DisputeCommentResolver,
  DisputeStatsResolver,
  EvidenceResolver,
  NotificationResolver,
  LiveResolver,
  WebhookResolver,
  TableSettingsResolver,
  ExportResolver,
  ExportProgressResolver,
] as const;

let built: GraphQLSchema | undefined;

/** type-graphql cannot describe the root types; integrators reading the schema should see why they exist. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const q = schema.getQueryType();
  const m = schema.getMutationType();
  const s = schema.getSubscriptionType();
  if (q) q.description = 'Reads. Every field needs `Authorization: Bearer <token>`.';
  if (m)
    m.description = 'Changes. Each mutation writes all it does in one transaction, or nothing.';
  if (s) {
    s.description =
      'Live updates over graphql-ws at ws://HOST/graphql; send `authorization: "Bearer <token>"` in connectionParams.';
  }
  return schema;
}

/**
 * The executable schema, built once per process from the resolver classes (type-graphql's
 * wrapper taken out where it has nothing to apply: type-graphql-direct-resolvers.ts), every
 * argument's text checked before resolvers run, every field under the per-operation execution
 * budget (execution-budget.ts).
 */
export async function getSchema(): Promise<GraphQLSchema> {
  built ??= applyExecutionBudget(
    guardTextArguments(
      describeRoots(
        await buildSchemaWithDirectResolvers({
          resolvers,
          authChecker,
          authMode: 'error',
          validate: false,
          scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
          // Every subscription names its own `subscribe` source (src/notifications), routed per
          // viewer; type-graphql's topic pub/sub is never used.
          pubSub: {
            publish: () => {
              throw new Error('topic pub/sub is not used');
            },
            subscribe: () => {
              throw new Error('topic pub/sub is not used');
            },
          },
        }),
      ),
    ),
  );
  return built;
}

/** What `schema/schema.graphql` holds: the schema in a stable order. */
export async function printedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
