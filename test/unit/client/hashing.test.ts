import { createSha256, sha256Hex } from '../../../client/src/hashing/sha256';

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('hashes %j to the FIPS 180 test vector', (input, expected) => {
    expect(sha256Hex(input)).toBe(expected);
    expect(sha256Hex(Buffer.from(input))).toBe(expected);
  });

  it('creates independent incremental hashes', () => {
    const a = createSha256().update('x');
    const b = createSha256().update('y');
    expect(a.digest('hex')).toBe(sha256Hex('x'));
    expect(b.digest('hex')).toBe(sha256Hex('y'));
  });
});
