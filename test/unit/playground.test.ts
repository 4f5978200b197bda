import { playgroundHtml, type PlaygroundOptions } from '../../src/dev/playground';
import { fillPlaceholders, loadExamples } from '../../src/dev/examples';

/** The page's JSON configuration, as the bootstrap reads it. */
function configOf(opts: Partial<PlaygroundOptions>) {
  const html = playgroundHtml({
    endpoint: '/graphql',
    subscriptionEndpoint: '/graphql',
    assetBase: '/graphql/assets/',
    ...opts,
  });
  const json = /<script type="application\/json" id="playground-config">([\s\S]*?)<\/script>/.exec(
    html,
  )![1]!;
  return JSON.parse(json) as {
    defaultHeaders?: string;
    tabs?: { query: string; variables: string | null; headers: string | null }[];
    storageKey: string;
  };
}

describe('playground page', () => {
  const buyer = { Authorization: 'Bearer buyer-token' };
  const manager = { Authorization: 'Bearer manager-token' };
  const tabs = [
    { query: 'query A { __typename }', variables: { first: 1 }, headers: buyer },
    { query: 'query B { __typename } # </script>', headers: manager },
  ];

  it('carries each tab with its own headers and variables, as editor text', () => {
    const config = configOf({ defaultHeaders: buyer, tabs });
    expect(JSON.parse(config.defaultHeaders!)).toEqual(buyer);
    expect(
      config.tabs!.map((t) => [
        t.query,
        t.variables && JSON.parse(t.variables),
        JSON.parse(t.headers!),
      ]),
    ).toEqual([
      ['query A { __typename }', { first: 1 }, buyer],
      ['query B { __typename } # </script>', null, manager],
    ]);
  });

  it('keeps the stored tabs of one set of defaults apart from another', () => {
    const a = configOf({ tabs });
    expect(configOf({ tabs }).storageKey).toBe(a.storageKey);
    expect(configOf({ tabs: tabs.slice(1) }).storageKey).not.toBe(a.storageKey);
    expect(configOf({}).tabs).toBeUndefined();
  });
});

describe('examples', () => {
  it('name their operation after their role, which is what a tab shows', () => {
    for (const e of loadExamples()) {
      const name = /^(?:query|mutation|subscription) (\w+)/m.exec(e.query)![1]!;
      expect(name.startsWith(e.role === 'buyer' ? 'Buyer' : 'Manager')).toBe(true);
    }
  });

  it('fill placeholders, also inside strings and from lists, and refuse unknown ones', () => {
    const values = { id: 'x1', ids: ['y1', 'y2'] };
    expect(fillPlaceholders({ a: '{{id}}', b: ['k-{{id}}', '{{ids.1}}'], n: 3 }, values)).toEqual({
      a: 'x1',
      b: ['k-x1', 'y2'],
      n: 3,
    });
    expect(() => fillPlaceholders({ a: '{{nope}}' }, values)).toThrow('{{nope}}');
  });
});
