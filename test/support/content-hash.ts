/**
 * Content hashes (contract/content-hash.ts: SHA-256 over the chunk digests) of test content, computed
 * synchronously. Content smaller than the chunker's minimum is one chunk (none when empty).
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '@contract/limits';

const digest = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

export function smallContentHash(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if (bytes.length >= LIMITS.chunkMinBytes) throw new RangeError('content this large may be more than one chunk: build its manifest');
  return createHash('sha256').update(bytes.length === 0 ? Buffer.alloc(0) : digest(bytes)).digest('hex');
}
