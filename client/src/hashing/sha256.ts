/** SHA-256 in the one form the service speaks: lowercase hex. */
import { createHash, type Hash } from 'node:crypto';

export const createSha256 = (): Hash => createHash('sha256');

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
