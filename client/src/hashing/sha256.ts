/** The core's SHA-256 (core/hashing/sha256.ts) in Node: OpenSSL's, which uses the CPU's SHA extensions where there are any. */
import { createHash } from 'node:crypto';
import type { Sha256, Sha256Factory } from '../core/hashing/sha256';

export const nodeSha256: Sha256Factory = (): Sha256 => {
  const hash = createHash('sha256');
  return {
    update: (data) => void hash.update(data),
    digest: () => hash.digest('hex'),
  };
};
