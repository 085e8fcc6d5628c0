/**
 * The content-hash definition (contract/content-hash.ts) computed a second, independent way for test
 * fixtures: synchronously with node:crypto, so fixtures can be built at module scope. The contract's
 * own test checks the two agree.
 */
import { createHash } from 'node:crypto';

export function contentHashOfChunks(chunkHashes: readonly string[]): string {
  return createHash('sha256')
    .update(Buffer.concat(chunkHashes.map((h) => Buffer.from(h, 'hex'))))
    .digest('hex');
}
