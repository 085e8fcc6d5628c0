/**
 * The end-to-end check of a download. Every chunk's bytes are verified against the chunk's SHA-256 as
 * they land (fetched, copied from a local file, or read back from the temp file when kept from an
 * interrupted run); this collects those verified digests by index and, at the end, checks that the
 * chunks tile the file with no gap or overlap and that their content hash (contract/content-hash.ts)
 * is the file's. Together that proves the whole file, without a second pass over its bytes.
 */
import { contentHashOf } from '@contract/content-hash';

export interface VerifiedChunk {
  readonly index: number;
  readonly offset: number;
  readonly size: number;
}

export class ContentHasher {
  private readonly chunks = new Map<number, VerifiedChunk & { readonly hash: string }>();

  /** A chunk written at its offset whose bytes were verified to have SHA-256 `hash`. */
  add(chunk: VerifiedChunk, hash: string): void {
    this.chunks.set(chunk.index, { index: chunk.index, offset: chunk.offset, size: chunk.size, hash });
  }

  /** The content hash of the file the chunks make, once they cover exactly `size` bytes in order. */
  async digest(size: number): Promise<string> {
    const hashes: string[] = [];
    let offset = 0;
    for (let index = 0; index < this.chunks.size; index++) {
      const chunk = this.chunks.get(index);
      if (chunk === undefined) throw new Error(`chunk ${index} was never verified`);
      if (chunk.offset !== offset) throw new Error(`chunk ${index} starts at ${chunk.offset}, not at ${offset}`);
      offset += chunk.size;
      hashes.push(chunk.hash);
    }
    if (offset !== size) throw new Error(`the verified chunks cover ${offset} of ${size} bytes`);
    return contentHashOf(hashes);
  }
}
