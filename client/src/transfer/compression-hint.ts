/**
 * Which compression to ask a file's first upload URLs for, before any chunk is read for sending: the
 * sample test on the file's first bytes, which are its first chunk's sample too.
 */
import type { Compression } from '@contract/schemas';
import type { FileHandle } from 'node:fs/promises';
import { readRange } from '../localfs/ranges';
import { looksCompressible, SAMPLE_BYTES } from '../core/transfer/compression';

export async function compressionHint(handle: FileHandle, path: string, size: number): Promise<Compression> {
  if (size === 0) return 'none';
  const sample = await readRange(handle, path, 0, Math.min(SAMPLE_BYTES, size));
  return looksCompressible(sample) ? 'gzip' : 'none';
}
