/** SHA-256 in the one form the service speaks: lowercase hex. */
import { createHash, type Hash } from 'node:crypto';

/** SHA-256 of zero bytes: the content hash of an empty file. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const createSha256 = (): Hash => createHash('sha256');

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
