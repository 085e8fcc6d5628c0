/**
 * What an upload declares about its content, checked before anything is stored: the chunk sizes add
 * up to the size, each chunk hash has one size, and the content hash is the one its chunks give
 * (contract/content-hash.ts). The service stores only the content hash it computed, so no file can
 * carry an identity other than its bytes'.
 */
import { contentHashOf } from '@contract/content-hash';
import type { ChunkRef } from '@contract/schemas';
import { chunkSizeConflict, contentHashMismatch, validationFailed } from '@shared/errors';

export interface DeclaredContent {
  readonly size: number;
  readonly contentHash: string;
  readonly chunks: readonly ChunkRef[];
}

/** The content hash of `declared`, after checking it; throws the first problem as a 400. */
export async function checkDeclaredContent(declared: DeclaredContent): Promise<string> {
  const sum = declared.chunks.reduce((total, c) => total + c.size, 0);
  if (sum !== declared.size) {
    throw validationFailed(`chunk sizes add up to ${sum} bytes, not the declared size ${declared.size}`, { field: 'body.chunks' });
  }
  const sizes = new Map<string, number>();
  for (const chunk of declared.chunks) {
    const seen = sizes.get(chunk.hash);
    if (seen !== undefined && seen !== chunk.size) throw chunkSizeConflict(chunk.hash, [seen, chunk.size]);
    sizes.set(chunk.hash, chunk.size);
  }
  const expected = await contentHashOf(declared.chunks.map((c) => c.hash));
  if (declared.contentHash !== expected) throw contentHashMismatch(declared.contentHash, expected);
  return expected;
}
