/**
 * Whether a chunk travels and is stored gzip-compressed. A quick test on a sample (gzip at its
 * fastest level over the first 64 KiB, about a millisecond) tells compressible data from data that is
 * compressed already (media, archives) or random, which is sent as is without spending a whole-chunk
 * compression on it. Most such data gives itself away sooner: its bytes are spread almost evenly over
 * all 256 values, which a histogram of the sample shows in a tenth of the time. A chunk is stored
 * compressed only when that saves more than a tenth of its bytes; otherwise decompressing it on every
 * download would cost more than it gains. The chunk's identity stays the SHA-256 of its plaintext; the
 * tracker and downloads decompress before hashing.
 *
 * gzip itself comes from the platform (`Gzip`): Node's zlib at level 1 in its thread pool; where
 * nothing better is at hand, `streamGzip` (CompressionStream, in browsers and Node alike).
 */
import type { Compression } from '@contract/schemas';
import { webBytes } from '../io';

/** gzip (RFC 1952) of `plain`, as fast as the platform can (level 1 where it can be chosen). */
export type Gzip = (plain: Uint8Array) => Promise<Uint8Array>;

export const SAMPLE_BYTES = 64 * 1024;
/** Smallest saving worth storing compressed for (a fraction of the plaintext). */
export const MIN_SAVING = 0.1;

export interface EncodedChunk {
  /** What travels and is stored. */
  readonly body: Uint8Array;
  readonly compression: Compression;
}

/**
 * Bits of information per byte (Shannon entropy of the byte histogram) above which a sample is taken
 * as compressed or random without trying gzip: those sit within a hundredth of 8, while text is near
 * 5 and executables near 6.
 */
const INCOMPRESSIBLE_BITS_PER_BYTE = 7.9;

const saves = (packed: number, plain: number) => packed <= plain * (1 - MIN_SAVING);

function bitsPerByte(sample: Uint8Array): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) counts[sample[i]]++;
  let bits = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / sample.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The sample test: would `bytes` (a sample of a chunk or file) shrink by more than MIN_SAVING? */
export async function looksCompressible(bytes: Uint8Array, gzip: Gzip): Promise<boolean> {
  if (bytes.length === 0) return false;
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (bitsPerByte(sample) > INCOMPRESSIBLE_BITS_PER_BYTE) return false;
  return saves((await gzip(sample)).length, sample.length);
}

/** The compression a chunk is to be sent with, by its sample alone (what its upload URL is asked for). */
export const intendedCompression = async (plain: Uint8Array, gzip: Gzip): Promise<Compression> =>
  (await looksCompressible(plain, gzip)) ? 'gzip' : 'none';

/** The bytes to store for a chunk: gzip when the sample says so and the whole chunk agrees, else the plaintext. */
export async function encodeChunk(plain: Uint8Array, gzip: Gzip, intended?: Compression): Promise<EncodedChunk> {
  if ((intended ?? (await intendedCompression(plain, gzip))) === 'none') return { body: plain, compression: 'none' };
  const packed = await gzip(plain);
  return saves(packed.length, plain.length) ? { body: packed, compression: 'gzip' } : { body: plain, compression: 'none' };
}

/** gzip through the platform's CompressionStream (its default level: slower than level 1, but everywhere). */
export const streamGzip: Gzip = async (plain) => {
  const packed = new Blob([webBytes(plain)]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(packed).arrayBuffer());
};
