/** The core's SHA-256 seam: Node's implementation and the WebAssembly one agree with FIPS 180 and with each other. */
import { EMPTY_CONTENT_HASH } from '@contract/content-hash';
import { sha256Of, type Sha256Factory } from '../../../client/src/core/hashing/sha256';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import { wasmSha256 } from '../../support/wasm-sha256';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe.each<[string, Sha256Factory]>([
  ['node:crypto', nodeSha256],
  ['hash-wasm', wasmSha256],
])('sha256 with %s', (_name, createSha256) => {
  it.each([
    ['', EMPTY_CONTENT_HASH],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('hashes %j to the FIPS 180 test vector', async (input, expected) => {
    expect(await sha256Of(createSha256, utf8(input))).toBe(expected);
  });

  it('makes independent incremental hashes', async () => {
    const [a, b] = [await createSha256(), await createSha256()];
    a.update(utf8('ab'));
    b.update(utf8('x'));
    a.update(utf8('c'));
    expect(a.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(b.digest()).toBe(await sha256Of(nodeSha256, utf8('x')));
  });
});
