import fc from 'fast-check';
import { canonicalContentType, id3TagEnd, isUtf8Text } from '../../src/evidence/evidence-content';
import { cleanFileName, sanitizeFileName } from '../../src/platform/minio-object-store';

describe('canonicalContentType', () => {
  it.each([
    ['image/png', 'image/png'],
    [' IMAGE/PNG ', 'image/png'],
    ['image/jpg', 'image/jpeg'],
    ['image/apng', 'image/png'],
    ['audio/x-wav', 'audio/wav'],
    ['audio/vnd.wave', 'audio/wav'],
    ['audio/mp3', 'audio/mpeg'],
    ['audio/ogg; codecs=opus', 'audio/ogg'],
    ['text/plain;charset=UTF-8', 'text/plain'],
    ['text/plain; charset="us-ascii"', 'text/plain'],
    ['text/plain; charset=latin1', null],
    ['image/png; foo=bar', null],
    ['application/ogg', null],
    ['video/ogg', null],
    ['text/html', null],
    ['image/svg+xml', null],
    ['', null],
  ])('%j is %j', (raw, expected) => {
    expect(canonicalContentType(raw)).toBe(expected);
  });
});

describe('isUtf8Text', () => {
  it('accepts UTF-8 and refuses NUL and invalid sequences', () => {
    expect(isUtf8Text(Buffer.from('Grüße, 世界 🎧\n'), true)).toBe(true);
    expect(isUtf8Text(Buffer.from('a\u0000b'), true)).toBe(false);
    expect(isUtf8Text(Buffer.from([0x63, 0x61, 0x66, 0xe9]), true)).toBe(false);
    expect(isUtf8Text(Buffer.from([0xc0, 0xaf]), true)).toBe(false);
  });

  it('forgives a character cut at the end of a sample, not of a whole file', () => {
    const cut = Buffer.from('ok 🎧').subarray(0, 5);
    expect(isUtf8Text(cut, false)).toBe(true);
    expect(isUtf8Text(cut, true)).toBe(false);
  });

  it('accepts every string without NUL, whole or cut anywhere as a sample', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(), (s, at) => {
        const bytes = Buffer.from(s.split('\u0000').join(''), 'utf8');
        return (
          isUtf8Text(bytes, true) && isUtf8Text(bytes.subarray(0, at % (bytes.length + 1)), false)
        );
      }),
    );
  });
});

describe('id3TagEnd', () => {
  it('reads the synchsafe size and the footer flag', () => {
    expect(id3TagEnd(Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0x02, 0x01]))).toBe(10 + 257);
    expect(id3TagEnd(Buffer.from([0x49, 0x44, 0x33, 4, 0, 0x10, 0, 0, 0, 5]))).toBe(10 + 5 + 10);
    expect(id3TagEnd(Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0x80, 0, 0, 0]))).toBeNull();
    expect(id3TagEnd(Buffer.from('RIFF....WAVE'))).toBeNull();
  });
});

describe('file names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ann\\call.wav', 'call.wav'],
    ['  a\u0000b\t"c".png ', 'ab c.png'],
    ['...hidden', 'hidden'],
    ['dir/', ''],
    ['..', ''],
  ])('cleanFileName(%j) is %j', (raw, expected) => {
    expect(cleanFileName(raw)).toBe(expected);
  });

  it('sanitizeFileName is never empty and at most 255 long', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (s) => {
        const name = sanitizeFileName(s);
        const forbidden = [...name].some((c) => c.charCodeAt(0) < 0x20 || '/\\"'.includes(c));
        return name.length >= 1 && name.length <= 255 && !forbidden;
      }),
    );
  });
});
