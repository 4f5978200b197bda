import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { z } from 'zod';
import { badInput } from './errors';
import { PageItems } from './list-size';

@ObjectType({ description: 'Where a page stands in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({
    description: 'True when more items follow this page (ask again with `after: endCursor`).',
  })
  hasNextPage!: boolean;
  @Field({ description: 'True when this page was asked for with `after`: items come before it.' })
  hasPreviousPage!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item; null on an empty page.',
  })
  startCursor!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item; pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

export const MAX_PAGE_SIZE = 100;

/** `first` and `after` of every list: the same words, defaults and limits everywhere. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1 to 100.' })
  first: number = 50;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `must be between 1 and ${MAX_PAGE_SIZE}, got ${first}.`);
  }
  return first;
}

/**
 * Cursors are opaque to clients: base64url of the sort key of a row, tagged with the
 * ordering they belong to, so a cursor from one ordering is refused by another.
 */
export function encodeCursor(tag: string, key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString('base64url');
}

/** Far above any cursor this server writes (a tag and a few keys); longer ones are not read. */
const MAX_CURSOR_LENGTH = 512;

/**
 * The sort key a cursor holds, checked by the ordering's schema (tag first, then one schema per
 * key, which also turns each value into its query parameter). A cursor is client input: one
 * that is forged, truncated or from another ordering is BAD_USER_INPUT naming `after`, and
 * never reaches SQL.
 */
export function decodeCursor(tag: string, cursor: string, keys: readonly z.ZodType[]): unknown[] {
  if (cursor.length <= MAX_CURSOR_LENGTH) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const checked = z.tuple([z.literal(tag), ...keys] as const).safeParse(parsed);
    if (checked.success) return checked.data.slice(1);
  }
  throw badInput(
    'after',
    'is not a cursor of this list and ordering; use an endCursor it returned.',
  );
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  cursorOf: (item: T) => string;
  totalCount: () => Promise<number>;
}

/** The GraphQL shape of a Page; `totalCount` is counted only when asked for. */
export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/**
 * A page as a connection. Cursors are encoded when asked for: a page that shows `nodes` and
 * `pageInfo.endCursor` encodes one cursor, not one per row.
 */
export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  const { items } = page;
  let edges: { cursor: string; node: T }[] | undefined;
  const cursorAt = (i: number) => {
    const item = items[i];
    return item === undefined ? null : page.cursorOf(item);
  };
  const connection = {
    nodes: items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return cursorAt(0);
      },
      get endCursor() {
        return cursorAt(items.length - 1);
      },
    },
    totalCount: page.totalCount,
  } as ConnectionShape<T>;
  // Not enumerable: before calling `totalCount`'s resolver, type-graphql copies the enumerable
  // properties of a connection into an instance of its class, which would encode every cursor.
  Object.defineProperty(connection, 'edges', {
    get: () => (edges ??= items.map((node) => ({ cursor: page.cursorOf(node), node }))),
  });
  return connection;
}

/** `XEdge` and `XConnection` object types for a node type; `whats` is `what`'s plural. */
export function connectionTypes<T extends object>(
  name: string,
  node: ClassType<T>,
  what: string,
  whats = `${what}s`,
): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class Edge {
    @Field({
      description: 'Opaque position of this item; pass it as `after` to continue after it.',
    })
    cursor!: string;
    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${whats}.` })
  class Connection {
    @PageItems()
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges!: Edge[];
    @PageItems()
    @Field(() => [node], { description: 'The items of this page, without cursors.' })
    nodes!: T[];
    @Field(() => PageInfo, { description: 'Where this page stands in the whole list.' })
    pageInfo!: PageInfo;
    totalCount!: () => Promise<number>;

    @Field(() => Int, {
      name: 'totalCount',
      description: 'How many items the whole list holds under the same filter.',
    })
    countAll(): Promise<number> {
      return this.totalCount();
    }
  }
  return Connection as unknown as ClassType<ConnectionShape<T>>;
}
