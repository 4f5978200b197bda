import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ROOT } from './services';

/** The served schema as committed (schema.test.ts keeps the file equal to what the API serves). */
export function servedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
}

export interface Coordinates {
  /** Every operation entry point, e.g. `Query.call`, `Mutation.createDispute`. */
  rootFields: string[];
  /**
   * Every place a client can hand the server an ID, as `Type.field(argPath)`: arguments of any
   * field of any output type, followed into input objects and lists, e.g.
   * `Query.call(id)`, `Mutation.resolveDisputes(inputs.disputeId)`.
   */
  idArguments: string[];
}

/** Walks the schema for the entry points an isolation test must cover. */
export function coordinatesOf(schema: GraphQLSchema): Coordinates {
  const rootFields: string[] = [];
  for (const root of [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ]) {
    if (!root) continue;
    for (const field of Object.keys(root.getFields())) rootFields.push(`${root.name}.${field}`);
  }

  const idArguments: string[] = [];
  const idPaths = (type: GraphQLInputType, prefix: string, seen: Set<string>): string[] => {
    const named = getNamedType(type);
    if (named.name === 'ID') return [prefix];
    if (!isInputObjectType(named) || seen.has(named.name)) return [];
    const inner = new Set(seen).add(named.name);
    return Object.values(named.getFields()).flatMap((f) =>
      idPaths(f.type, `${prefix}.${f.name}`, inner),
    );
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        for (const p of idPaths(arg.type, arg.name, new Set())) {
          idArguments.push(`${type.name}.${field.name}(${p})`);
        }
      }
    }
  }
  return { rootFields: rootFields.sort(), idArguments: idArguments.sort() };
}
