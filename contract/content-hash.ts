/**
 * A file's content identity, defined over its chunks so that the service can compute it from the
 * manifest without reading a byte (as Dropbox's content_hash is defined over block hashes):
 *
 *   contentHash = SHA-256( digest(chunk 1) || digest(chunk 2) || ... )   as lowercase hex,
 *
 * where digest(chunk i) is the 32-byte SHA-256 of chunk i's plaintext, chunks in file order, cut by
 * the one content-defined chunker (LIMITS.chunk*Bytes). An empty file has no chunks: its content hash
 * is SHA-256 of zero bytes. Every chunk's digest is checked against its bytes (the tracker on the way
 * up, the client on the way down), so a matching content hash proves the whole file, end to end.
 *
 * Web Crypto, so the same code runs in Lambda, in the CLI and in the browser.
 */
import { LIMITS } from './limits';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** SHA-256 of zero bytes: the content hash of an empty file. */
export const EMPTY_CONTENT_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The content hash of a file whose chunks, in order, have these SHA-256 digests (lowercase hex). */
export async function contentHashOf(chunkHashes: readonly string[]): Promise<string> {
  if (chunkHashes.length > LIMITS.maxChunksPerUpload) throw new RangeError(`${chunkHashes.length} chunks is more than a file may have`);
  const digests = new Uint8Array(chunkHashes.length * 32);
  chunkHashes.forEach((hash, i) => {
    if (!HEX_SHA256.test(hash)) throw new TypeError(`chunk ${i} hash is not lowercase hex SHA-256: ${hash}`);
    for (let b = 0; b < 32; b++) digests[i * 32 + b] = parseInt(hash.slice(b * 2, b * 2 + 2), 16);
  });
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', digests));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
