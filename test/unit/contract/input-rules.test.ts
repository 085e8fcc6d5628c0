/**
 * The contract's input rules as case tables: which characters a path may hold (contract/paths.ts,
 * used by the service and by the client before it sends) and what a media type must look like
 * (the schema every upload's `mimeType` is validated against, compiled the way the handlers compile it).
 */
import type { TSchema } from '@sinclair/typebox';
import { normalizePath, pathKey } from '@contract/paths';
import { MediaType, ShareRequest } from '@contract/schemas';
import { eventAjv } from '../../../lambdas/shared/validation/event-schema';

/** The schema compiled as the handlers' validators are (lambdas/shared/validation/event-schema.ts). */
const compiled = (schema: TSchema) => eventAjv().compile(schema);

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('paths refuse control characters and ill-formed UTF-16 with INVALID_PATH', () => {
  test.each([
    ['NUL', '/a\u0000b'],
    ['TAB (C0)', '/a\tb'],
    ['LF (C0)', '/a\nb'],
    ['US, the last C0', '/a\u001fb'],
    ['DEL 0x7F', '/a\u007fb'],
    ['PAD U+0080, the first C1', '/a\u0080b'],
    ['NEXT LINE U+0085 (C1)', '/int/\u0085x'],
    ['APC U+009F, the last C1', '/a\u009fb'],
    ['a lone high surrogate', '/int/\ud800x'],
    ['a lone low surrogate', '/int/\udc00x'],
    ['a high surrogate at the very end', '/int/x\udbff'],
    ['a low surrogate at the very start', '\udfff/x'],
    ['two high surrogates in a row', '/int/\ud800\ud800\udc00'],
    ['a pair in the wrong order', '/int/\udc00\ud800'],
  ])('%s', (_, path) => {
    expect(thrownBy(() => normalizePath(path))).toMatchObject({ code: 'INVALID_PATH' });
  });

  test.each([
    ['a space, the first printable character', '/a b', '/a b'],
    ['a tilde, the last printable ASCII', '/a~b', '/a~b'],
    ['NO-BREAK SPACE U+00A0, right after C1', '/a\u00a0b', '/a\u00a0b'],
    ['an astral character (a proper surrogate pair)', '/music/\ud834\udd1e.txt', '/music/𝄞.txt'],
    ['an emoji', '/😀/x', '/😀/x'],
    ['combining marks, composed to NFC', '/cafe\u0301', '/café'],
  ])('%s is allowed', (_, path, expected) => {
    expect(normalizePath(path)).toBe(expected);
  });

  test('the two lone surrogates that UTF-8 would collapse into one key are both refused, not merged', () => {
    expect(() => pathKey('/int/\ud800x')).toThrow(/unpaired surrogate U\+D800/);
    expect(() => pathKey('/int/\udc00x')).toThrow(/unpaired surrogate U\+DC00/);
  });

  test('the message names the offending character', () => {
    expect(() => normalizePath('/a\u0085b')).toThrow('path contains the control character U+0085');
    expect(() => normalizePath('/a\u007f')).toThrow('path contains the control character U+007F');
  });
});

describe('mimeType is an RFC 9110 media type', () => {
  const validate = compiled(MediaType);

  test.each([
    'text/plain',
    'application/octet-stream',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'image/svg+xml',
    'text/plain; charset=utf-8',
    'text/plain;charset=utf-8',
    'multipart/mixed; boundary=abc; x=y',
    "application/x-!#$%&'*+.^_`|~",
  ])('accepts %j', (mimeType) => {
    expect(validate(mimeType)).toBe(true);
  });

  test.each([
    ['no subtype', 'text'],
    ['an empty subtype', 'text/'],
    ['an empty type', '/plain'],
    ['two slashes', 'text/plain/x'],
    ['CRLF then a header', 'text/plain\r\nSet-Cookie: a=b'],
    ['a bare LF', 'text/plain\n'],
    ['a NUL', 'text/pl\u0000ain'],
    ['DEL', 'text/plain\u007f'],
    ['a space inside the type', 'text /plain'],
    ['a tab before a parameter', 'text/plain;\tcharset=utf-8'],
    ['a parameter without a value', 'text/plain; charset'],
    ['a quoted-string value', 'text/plain; charset="utf-8"'],
    ['a trailing semicolon', 'text/plain;'],
    ['non-ASCII', 'text/plaín'],
    ['a separator character', 'text/pl@in'],
    ['empty', ''],
    ['longer than 255', `application/${'x'.repeat(250)}`],
  ])('refuses %s', (_, mimeType) => {
    expect(validate(mimeType)).toBe(false);
  });
});

describe('share recipients are addresses without control characters or unpaired surrogates', () => {
  const validate = compiled(ShareRequest);
  const request = (email: string) => ({ emails: [email], role: 'viewer' });

  test.each(['bob@example.com', 'Bob.O+tag@example.co.uk', 'jörg@exämple.de', 'emoji😀@example.com'])('accepts %j', (email) => {
    expect(validate(request(email))).toBe(true);
  });

  test.each([
    ['a quote', 'b"ob@example.com'],
    ['a backslash', 'b\\ob@example.com'],
    ['a space', 'bob @example.com'],
    ['no @', 'bob.example.com'],
    ['two @', 'bob@ex@ample.com'],
    ['NUL', 'bob\u0000@example.com'],
    ['DEL', 'bob\u007f@example.com'],
    ['NEXT LINE U+0085', 'bob@example.com\u0085'],
    ['a lone high surrogate', 'bob\ud800@example.com'],
    ['a lone low surrogate', 'bob@example\udc00.com'],
  ])('refuses %s', (_, email) => {
    expect(validate(request(email))).toBe(false);
  });
});
