/**
 * Stored chunk bytes -> verified plaintext. A chunk may be stored gzip-compressed; its identity is
 * always the SHA-256 of the plaintext, so bytes are decompressed (never beyond the announced size)
 * before they are checked.
 */
import type { Compression } from '@contract/schemas';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ToteError } from '../errors';
import { sha256Hex } from '../../hashing/sha256';

const gunzipAsync = promisify(gunzip);

export interface ExpectedChunk {
  readonly hash: string;
  readonly size: number;
  readonly compression: Compression;
}

export async function decodeChunk(stored: Buffer, expected: ExpectedChunk): Promise<Buffer> {
  let plain: Buffer;
  try {
    plain = expected.compression === 'gzip' ? await gunzipAsync(stored, { maxOutputLength: expected.size }) : stored;
  } catch (error) {
    throw new ToteError('CHUNK_CORRUPT', `chunk ${expected.hash} did not decompress (${(error as Error).message})`, { cause: error });
  }
  if (plain.length !== expected.size || sha256Hex(plain) !== expected.hash) {
    throw new ToteError('CHUNK_CORRUPT', `chunk ${expected.hash} arrived with different content (${plain.length} bytes)`);
  }
  return plain;
}
