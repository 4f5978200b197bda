import {
  type GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DomainError, ErrorCode } from './errors';

export const LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  /** Each field costs 1; a list field multiplies its selection by its page size (`first`, default 50). */
  maxCost: 25_000,
  maxSubscriptionsPerSocket: 20,
} as const;

const tooComplex = (message: string) => new DomainError(ErrorCode.QUERY_TOO_COMPLEX, message);

function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      max = Math.max(max, 1 + depthOf(sel.selectionSet, fragments, seen));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    } else {
      const name = sel.name.value;
      const frag = fragments[name];
      if (!frag || seen.has(name)) continue; // cycles are graphql-js's own error
      max = Math.max(max, depthOf(frag.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

function countAliases(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.alias) n += 1;
      n += countAliases(sel.selectionSet, fragments, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      n += countAliases(sel.selectionSet, fragments, seen);
    } else {
      const frag = fragments[sel.name.value];
      if (!frag || seen.has(sel.name.value)) continue;
      n += countAliases(frag.selectionSet, fragments, new Set([...seen, sel.name.value]));
    }
  }
  return n;
}

/** Depth and alias limits, as a graphql-js validation rule (so they run before any resolver). */
export const shapeLimitsRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of context.getDocument().definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  }
  return {
    OperationDefinition(op: OperationDefinitionNode) {
      const depth = depthOf(op.selectionSet, fragments, new Set());
      if (depth > LIMITS.maxDepth) {
        context.reportError(
          tooComplex(
            `The operation is ${depth} levels deep; at most ${LIMITS.maxDepth} are allowed.`,
          ),
        );
      }
      const aliases = countAliases(op.selectionSet, fragments, new Set());
      if (aliases > LIMITS.maxAliases) {
        context.reportError(
          tooComplex(
            `The operation uses ${aliases} aliases; at most ${LIMITS.maxAliases} are allowed.`,
          ),
        );
      }
    },
  };
};

/** Page-size aware cost: a list of `first` items costs `first` times its selection. */
const pageEstimator = ({
  args,
  childComplexity,
}: {
  args: Record<string, unknown>;
  childComplexity: number;
}) => {
  const size = typeof args.first === 'number' ? args.first : undefined;
  return size !== undefined ? 1 + size * Math.max(childComplexity, 1) : undefined;
};

/** The cost check needs the operation's variables, so it runs right after validation. */
export function checkCost(
  schema: GraphQLSchema,
  document: Parameters<typeof getComplexity>[0]['query'],
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): GraphQLError | null {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [
        fieldExtensionsEstimator(),
        pageEstimator as never,
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch {
    return null; // malformed variables are reported by execution with a better message
  }
  return cost > LIMITS.maxCost
    ? tooComplex(
        `The operation would cost ${cost}; at most ${LIMITS.maxCost} is allowed. Ask for smaller pages or fewer fields.`,
      )
    : null;
}
