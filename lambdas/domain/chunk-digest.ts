/**
 * Streams a stored chunk through (optional) gunzip into SHA-256, counting plaintext bytes. Reading
 * stops as soon as the plaintext passes the limit, so neither a huge object nor a gzip bomb is read
 * to its end.
 */
import { createHash } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export interface Digest {
  readonly size: number;
  readonly hash: string;
}

export class DigestError extends Error {}

export async function digestChunk(body: Readable, gzip: boolean, maxBytes: number): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new DigestError(`plaintext exceeds ${maxBytes} bytes`));
      hash.update(chunk);
      done();
    },
  });
  try {
    await (gzip ? pipeline(body, createGunzip(), sink) : pipeline(body, sink));
  } catch (error) {
    if (error instanceof DigestError) throw error;
    // zlib's complaints (bad header, truncated stream) mean the object is not the gzip it claims to be.
    if ((error as { code?: string }).code?.startsWith('Z_')) throw new DigestError(`not valid gzip: ${(error as Error).message}`);
    throw error;
  }
  return { size, hash: hash.digest('hex') };
}
