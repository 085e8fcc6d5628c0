import { createHash } from 'node:crypto';
import { contentHashOf, EMPTY_CONTENT_HASH } from '@contract/content-hash';
import { contentHashOfChunks } from '../../support/content-hash';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

describe('contentHashOf', () => {
  test('an empty file (no chunks) hashes to SHA-256 of zero bytes', async () => {
    expect(await contentHashOf([])).toBe(EMPTY_CONTENT_HASH);
    expect(EMPTY_CONTENT_HASH).toBe(sha256('').toString('hex'));
  });

  test('is SHA-256 over the concatenated raw chunk digests, in order', async () => {
    const chunks = ['first chunk', 'second chunk', 'third'].map((text) => sha256(text));
    const expected = sha256(Buffer.concat(chunks)).toString('hex');
    expect(await contentHashOf(chunks.map((d) => d.toString('hex')))).toBe(expected);
  });

  test('order matters: the same chunks in another order are other content', async () => {
    const [a, b] = ['a', 'b'].map((text) => sha256(text).toString('hex'));
    expect(await contentHashOf([a, b])).not.toBe(await contentHashOf([b, a]));
  });

  test('a one-chunk file is not identified by its whole-file SHA-256 (the digest is hashed again)', async () => {
    const digest = sha256('only chunk').toString('hex');
    expect(await contentHashOf([digest])).toBe(sha256(sha256('only chunk')).toString('hex'));
    expect(await contentHashOf([digest])).not.toBe(digest);
  });

  test('agrees with the synchronous fixture helper the tests build content with', async () => {
    const hashes = ['x', 'y', 'z'].map((text) => sha256(text).toString('hex'));
    expect(contentHashOfChunks(hashes)).toBe(await contentHashOf(hashes));
    expect(contentHashOfChunks([])).toBe(EMPTY_CONTENT_HASH);
  });

  test.each([['UPPERCASE'.padEnd(64, 'A')], ['abc'], ['g'.repeat(64)]])('refuses a malformed chunk hash %s', async (bad) => {
    await expect(contentHashOf([bad])).rejects.toThrow(/not lowercase hex SHA-256/);
  });
});
