import 'reflect-metadata';
import { toConnection, type Page } from '../../src/platform/pagination';

/** A page of three items whose cursors count how often they are encoded. */
function pageOf(items: string[]) {
  const encoded: string[] = [];
  const page: Page<string> = {
    items,
    hasNextPage: true,
    hasPreviousPage: false,
    cursorOf: (item) => {
      encoded.push(item);
      return `cursor-${item}`;
    },
    totalCount: () => Promise.resolve(42),
  };
  return { page, encoded };
}

describe('toConnection', () => {
  it('encodes a cursor only when one is read', () => {
    const { page, encoded } = pageOf(['a', 'b', 'c']);
    const connection = toConnection(page);
    expect(connection.nodes).toEqual(['a', 'b', 'c']);
    expect(encoded).toEqual([]);
    expect(connection.pageInfo.endCursor).toBe('cursor-c');
    expect(encoded).toEqual(['c']);
    expect(connection.edges.map((e) => e.cursor)).toEqual(['cursor-a', 'cursor-b', 'cursor-c']);
    expect(connection.edges).toBe(connection.edges);
    expect(encoded).toEqual(['c', 'a', 'b', 'c']);
  });

  it('encodes none when copied as type-graphql copies a root (for totalCount)', async () => {
    const { page, encoded } = pageOf(['a', 'b', 'c']);
    const copy = Object.assign({}, toConnection(page));
    expect(await copy.totalCount()).toBe(42);
    expect(encoded).toEqual([]);
  });
});
