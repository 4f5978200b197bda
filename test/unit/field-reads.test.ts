import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { getSchema } from '../../src/app/schema';
import { boundTypes, hasDeclaredReads, readsOf } from '../../src/platform/field-reads';

/**
 * Every field of a type that list pages read from their rows says what it reads (a column of
 * its entity by name, or a declaration beside its resolver): a field added without one would
 * make every page that shows it read every column, so it fails here instead.
 */
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

it('binds the row types the list pages join', () => {
  expect(boundTypes().sort()).toEqual(['Account', 'Call', 'Campaign', 'Dispute']);
});

it('knows what every field of those types reads', () => {
  const undeclared: string[] = [];
  for (const name of boundTypes()) {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
    for (const field of Object.keys(type.getFields())) {
      if (!readsOf(name, field)) undeclared.push(`${name}.${field}`);
    }
  }
  expect(undeclared).toEqual([]);
});

it('has a declaration beside every field resolver of those types, whatever its name', () => {
  const storage = getMetadataStorage();
  const typeName = new Map(storage.objectTypes.map((o) => [o.target, o.name]));
  const bound = new Set(boundTypes());
  const missing: string[] = [];
  let seen = 0;
  for (const r of storage.fieldResolvers) {
    const target = (r.getObjectType ?? r.resolverClassMetadata?.getObjectType)?.();
    const name = target && typeName.get(target);
    if (!name || !bound.has(name)) continue;
    seen++;
    if (!hasDeclaredReads(name, r.schemaName)) missing.push(`${name}.${r.schemaName}`);
  }
  expect(missing).toEqual([]);
  // The check saw the resolvers (Call's and Dispute's at least).
  expect(seen).toBeGreaterThan(10);
});

it('declares only columns of the field’s own entity or of relations it names', () => {
  // A declared column that does not exist would throw when a page selects it; here it is
  // enough that every declaration names columns as the entities spell them (snake case).
  for (const name of boundTypes()) {
    const type = schema.getType(name);
    if (!isObjectType(type)) continue;
    for (const field of Object.keys(type.getFields())) {
      for (const columns of Object.values(readsOf(name, field) ?? {})) {
        for (const c of columns) expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  }
});
