/** Reproducible pseudo-random test data (an AES-CTR keystream per seed): fast, and no fixtures to store. */
import { createCipheriv, createHash } from 'node:crypto';

export function seededBytes(seed: number, length: number): Buffer {
  const key = createHash('sha256').update(`seed:${seed}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}
