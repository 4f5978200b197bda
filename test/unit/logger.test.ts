import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import {
  createLogger,
  describeParameters,
  scrubText,
  serializeError,
} from '../../src/platform/logger';

describe('scrubText', () => {
  it.each([
    [
      'GET http://127.0.0.1:9000/b/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc123 failed',
      'GET http://127.0.0.1:9000/b/k?[redacted] failed',
    ],
    ['sig X-Amz-Signature=abc123&x=1', 'sig X-Amz-[redacted]&x=1'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer [redacted]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-_x', 'token [jwt]'],
    ['caller +15551234567 called', 'caller [number] called'],
    ['search 5551234567', 'search [number]'],
  ])('%j', (text, scrubbed) => {
    expect(scrubText(text)).toBe(scrubbed);
  });

  it('keeps ids, timestamps, migration names and small numbers', () => {
    const text =
      'dispute 12345678-1234-4234-8234-123456789012 at 2026-11-30T16:01:09.138Z: migration 1764140000000-InitialDomain, 413 bytes';
    expect(scrubText(text)).toBe(text);
  });
});

describe('serializeError', () => {
  it('describes parameters by count and type only', () => {
    expect(describeParameters(['a', 1, null, new Date(), [1], { a: 1 }, true])).toEqual({
      parameterCount: 7,
      parameterTypes: ['string', 'number', 'null', 'Date', 'array', 'object', 'boolean'],
    });
    expect(describeParameters(undefined)).toEqual({ parameterCount: 0, parameterTypes: [] });
  });

  it('copies only allowed fields: no detail, no parameters, no document', () => {
    const driver = Object.assign(new Error('invalid input syntax for type uuid: "+15550001111"'), {
      code: '22P02',
      routine: 'string_to_uuid',
      detail: 'Failing row contains (secret text)',
      where: 'secret where',
    });
    const wrapped = new GraphQLError('wrapped', {
      originalError: Object.assign(new Error(driver.message), {
        query: 'SELECT $1::uuid',
        parameters: ['+15550001111'],
        driverError: driver,
        detail: driver.detail,
      }),
      extensions: { code: 'INTERNAL_SERVER_ERROR', variables: { comment: 'secret text' } },
    });
    const out = JSON.stringify(serializeError(wrapped));
    expect(out).not.toMatch(/secret|5550001111/);
    expect(serializeError(wrapped)).toMatchObject({
      type: 'GraphQLError',
      code: 'INTERNAL_SERVER_ERROR',
      cause: {
        code: '22P02',
        routine: 'string_to_uuid',
        message: 'invalid input syntax for type uuid: "[redacted]"',
        sql: { query: 'SELECT $1::uuid', parameterCount: 1, parameterTypes: ['string'] },
      },
    });
  });

  it('the logger redacts known keys and serializes errors under err', () => {
    const out: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _e, done) {
          out.push(chunk.toString());
          done();
        },
      }),
    );
    log.info(
      {
        authorization: 'Bearer t0ken',
        headers: { authorization: 'Bearer t0ken' },
        url: 'http://x/?X-Amz-Signature=s1g',
        search: 'needle',
        input: { comment: 'hello', additionalInfo: 'more' },
      },
      'line',
    );
    log.error(new Error('failed for Bearer t0ken'));
    const all = out.join('');
    expect(all).not.toMatch(/t0ken|s1g|needle|hello|more/);
    expect(all).toContain('[redacted]');
  });
});
