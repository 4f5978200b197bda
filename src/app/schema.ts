import 'reflect-metadata';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { ViewerResolver } from '../auth/viewer.resolver';
import { CallResolver } from '../calls/call.resolver';
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
import { WebhookResolver } from '../webhooks/webhook.resolver';
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
] as const;

let built: GraphQLSchema | undefined;

/**
 * A field with no resolver method resolves as graphql-js's plain property read instead of
 * type-graphql's wrapper, which allocates its resolver data and runs an empty middleware chain
 * for every field of every row. Fields under `@Authorized` or `@UseMiddleware` keep the
 * wrapper: it is what applies them. Field resolvers are never affected (type-graphql checks
 * them first). The execution budget wraps every field either way.
 */
function plainFieldsAsPropertyReads(): void {
  const guarded = guardedByDecorators();
  for (const field of getMetadataStorage().fields) {
    // A renamed field (`@Field({ name })`) reads another property than the default would.
    if (field.schemaName !== field.name || guarded(field.target, field.name)) continue;
    field.simple ??= true;
  }
}

/**
 * Whether a field (or a resolver class's method) is under `@Authorized` or `@UseMiddleware`, on
 * itself or on its class: type-graphql's wrapper is what applies those, so it must stay.
 */
function guardedByDecorators(): (target: unknown, field: string) => boolean {
  const storage = getMetadataStorage();
  const key = (target: unknown, field: string) => `${(target as { name: string }).name}.${field}`;
  const classes = new Set<unknown>(
    [...storage.authorizedResolver, ...storage.resolverMiddlewares].map((d) => d.target),
  );
  const fields = new Set(
    [...storage.authorizedFields, ...storage.middlewares].map((d) => key(d.target, d.fieldName)),
  );
  return (target, field) => classes.has(target) || fields.has(key(target, field));
}

/**
 * type-graphql's wrapper costs every field resolver call more than most resolvers do: it sorts
 * the parameter list, allocates the resolver data, finds the resolver instance in a list, and
 * copies a root that is not an instance of its class into a new one. A field resolver that
 * takes only `@Root()` and `@Ctx()`, under no `@Authorized` or `@UseMiddleware`, is called
 * directly instead, whenever its root already is of its class (the row mappers and `money()`
 * build such instances): a resolver class's method with the root as argument, or an object
 * type's own method (`Money.amount`) with the root as `this`. Any other root takes
 * type-graphql's path, and every other resolver keeps it.
 */
function directFieldResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const guarded = guardedByDecorators();
  type Method = (...args: unknown[]) => unknown;
  for (const def of storage.fieldResolvers) {
    if (guarded(def.target, def.methodName)) continue;
    const params = storage.params
      .filter((p) => p.target === def.target && p.methodName === def.methodName)
      .sort((a, b) => a.index - b.index);
    const simple = params.every(
      (p, i) => p.index === i && (p.kind === 'root' || p.kind === 'context') && !p.propertyName,
    );
    const external = def.kind === 'external';
    const typeClass = external
      ? storage.resolverClasses.find((r) => r.target === def.target)?.getObjectType?.()
      : def.target;
    const typeName = storage.objectTypes.find((o) => o.target === typeClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[def.schemaName] : undefined;
    if (!simple || !field?.resolve || field.args.length > 0) continue;
    const wrapped = field.resolve;
    // The method's `this`: the resolver class's one instance, or the root itself.
    const resolver = external ? new (def.target as new () => object)() : undefined;
    const method = (def.target as { prototype: Record<string, unknown> }).prototype[def.methodName];
    if (typeof method !== 'function') continue;
    const rootParam = params.find((p) => p.kind === 'root') as
      { getType?: () => unknown } | undefined;
    const rootClass = external ? rootParam?.getType?.() : typeClass;
    const isRoot = (root: unknown) => typeof rootClass !== 'function' || root instanceof rootClass;
    const kinds = params.map((p) => p.kind).join(',');
    const call: (root: unknown, context: unknown) => unknown =
      kinds === ''
        ? (root) => (method as Method).call(resolver ?? root)
        : kinds === 'root'
          ? (root) => (method as Method).call(resolver ?? root, root)
          : kinds === 'root,context'
            ? (root, context) => (method as Method).call(resolver ?? root, root, context)
            : (root, context) =>
                (method as Method).apply(
                  resolver ?? root,
                  params.map((p) => (p.kind === 'root' ? root : context)),
                );
    field.resolve = (root, args, context, info) =>
      isRoot(root) ? call(root, context) : wrapped(root, args, context, info);
  }
  return schema;
}

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
  // Finishing the built schema: every argument's text is checked before resolvers run.
  return guardTextArguments(directFieldResolvers(schema));
}

/**
 * The executable schema, built once per process from the resolver classes, every field under
 * the per-operation execution budget (execution-budget.ts).
 */
export async function getSchema(): Promise<GraphQLSchema> {
  if (!built) plainFieldsAsPropertyReads();
  built ??= applyExecutionBudget(
    describeRoots(
      await buildSchema({
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
  );
  return built;
}

/** What `schema/schema.graphql` holds: the schema in a stable order. */
export async function printedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
