import fc from 'fast-check';
import {
  execute,
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  subscribe,
} from 'graphql';
import {
  checkTextArgs,
  codePointLength,
  findBadText,
  guardTextArguments,
  textFault,
} from '../../src/platform/text-input';

const EMOJI = '\u{1F600}';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    [EMOJI, 1],
    [EMOJI.repeat(2000), 2000],
    [`a${EMOJI}b`, 3],
    ['é', 1],
    ['e\u0301', 2],
    ['\uD800', 1],
    ['\uDC00\uD800', 2],
  ])('%j has %i characters', (text, n) => {
    expect(codePointLength(text)).toBe(n);
  });

  it('counts exactly what spreading a string into code points counts, for any UTF-16', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        expect(codePointLength(text)).toBe([...text].length);
      }),
    );
  });
});

describe('textFault', () => {
  it.each([
    ['', null],
    ['plain text', null],
    [`emoji ${EMOJI} fine`, null],
    ['a\u0000b', 'nul'],
    ['\u0000', 'nul'],
    ['lone high \uD83D', 'surrogate'],
    ['\uD83Dx', 'surrogate'],
    ['lone low \uDE00 here', 'surrogate'],
    ['\uDE00\uD83D', 'surrogate'],
    [`${EMOJI}\uD83D`, 'surrogate'],
  ])('%j → %s', (text, fault) => {
    expect(textFault(text)).toBe(fault);
  });

  it('agrees with a scan of the code points on any mix of NUL, surrogates and other text', () => {
    const unit = fc.constantFrom('a', '\u0000', '\uD83D', '\uDE00', 'é', EMOJI);
    const lone = (ch: string) => ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF';
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (text) => {
        const points = [...text];
        const expected = points.includes('\u0000') ? 'nul' : points.some(lone) ? 'surrogate' : null;
        expect(textFault(text)).toBe(expected);
      }),
    );
  });
});

describe('findBadText / checkTextArgs', () => {
  it('finds strings in nested input objects and lists and names their path', () => {
    expect(findBadText({ input: { reason: 'X', additionalInfo: 'a\u0000' } }, '')).toEqual({
      path: 'input.additionalInfo',
      fault: 'nul',
    });
    const inputs = Array.from({ length: 5 }, (_, i) => ({
      disputeId: 'x',
      comment: i === 3 ? '\uD800' : 'ok',
    }));
    expect(findBadText({ inputs }, '')).toEqual({ path: 'inputs[3].comment', fault: 'surrogate' });
    expect(findBadText({ ids: ['a', 'b\u0000'] }, '')).toEqual({ path: 'ids[1]', fault: 'nul' });
  });

  it('passes arguments without strings, dates and clean text', () => {
    expect(findBadText({}, '')).toBeNull();
    expect(findBadText({ first: 5, all: true, at: new Date(), none: null }, '')).toBeNull();
    expect(findBadText({ input: { text: `fine ${EMOJI}`, list: [1, 'b'] } }, '')).toBeNull();
  });

  it('throws BAD_USER_INPUT naming the field', () => {
    let thrown: unknown;
    try {
      checkTextArgs({ search: '555\u0000' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    const e = thrown as GraphQLError;
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
    expect(e.message).toMatch(/^search: .*NUL/);
  });
});

describe('guardTextArguments', () => {
  let opened = 0;
  const plain = () => 'plain';
  const schema = guardTextArguments(
    new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          echo: {
            type: GraphQLString,
            args: { text: { type: GraphQLString } },
            resolve: (_s, args: { text: string }) => args.text,
          },
          plain: { type: GraphQLString, resolve: plain },
        },
      }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          watch: {
            type: GraphQLString,
            args: { id: { type: GraphQLString } },
            subscribe: async function* () {
              opened++;
              yield { watch: 'event' };
            },
          },
        },
      }),
    }),
  );

  it('checks variables and literals before the resolver runs', async () => {
    const doc = parse('query($t: String) { echo(text: $t) literal: echo(text: "x\\u0000") }');
    const res = await execute({ schema, document: doc, variableValues: { t: 'a\u0000' } });
    expect(res.data).toEqual({ echo: null, literal: null });
    expect(res.errors?.map((e) => [e.path, e.extensions])).toEqual([
      [['echo'], { code: 'BAD_USER_INPUT', field: 'text' }],
      [['literal'], { code: 'BAD_USER_INPUT', field: 'text' }],
    ]);
    const ok = await execute({ schema, document: doc, variableValues: { t: EMOJI } });
    expect(ok.data?.echo).toBe(EMOJI);
  });

  it('checks subscription arguments before the event source opens', async () => {
    const res = await subscribe({
      schema,
      document: parse('subscription($id: String) { watch(id: $id) }'),
      variableValues: { id: '\uD800' },
    });
    expect('errors' in res && res.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    expect(opened).toBe(0);
  });

  it('leaves fields without arguments untouched', () => {
    expect(schema.getQueryType()!.getFields().plain!.resolve).toBe(plain);
  });
});
