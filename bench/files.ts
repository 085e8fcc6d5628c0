/**
 * Generated files for the benchmark, written and hashed as streams so that no size (20 GiB included)
 * ever sits in memory: pseudo-random bytes (an AES-CTR keystream per seed, incompressible like media
 * or archives), log-like text, and the edited copies the delta scenarios upload.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { logText } from '../test/support/content';

const BLOCK = 1024 * 1024;

export interface Generated {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

async function write(path: string, size: number, blocks: (size: number) => AsyncIterable<Buffer>): Promise<Generated> {
  const hash = createHash('sha256');
  async function* hashed() {
    for await (const block of blocks(size)) {
      hash.update(block);
      yield block;
    }
  }
  await pipeline(hashed(), createWriteStream(path));
  return { path, size, sha256: hash.digest('hex') };
}

export function randomFile(path: string, size: number, seed: number): Promise<Generated> {
  const key = createHash('sha256').update(`bench:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(BLOCK);
  return write(path, size, async function* (left) {
    for (; left > 0; left -= BLOCK) yield cipher.update(left >= BLOCK ? zeros : zeros.subarray(0, left));
  });
}

export function textFile(path: string, size: number, seed: number): Promise<Generated> {
  return write(path, size, async function* (left) {
    for (let i = 0; left > 0; left -= 16 * BLOCK, i++) yield logText(seed * 1_000 + i, Math.min(16 * BLOCK, left));
  });
}

/** A copy of `source` with `edit` applied: bytes before it, in place of the source's, or after it. */
export async function editedCopy(
  source: string,
  path: string,
  edit: { readonly prepend?: Buffer; readonly append?: Buffer; readonly overwriteAt?: { offset: number; bytes: Buffer } },
): Promise<void> {
  async function* parts() {
    if (edit.prepend) yield edit.prepend;
    yield* createReadStream(source, { highWaterMark: BLOCK });
    if (edit.append) yield edit.append;
  }
  await pipeline(parts(), createWriteStream(path));
  if (edit.overwriteAt) {
    const handle = await open(path, 'r+');
    try {
      await handle.write(edit.overwriteAt.bytes, 0, edit.overwriteAt.bytes.length, edit.overwriteAt.offset);
    } finally {
      await handle.close();
    }
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: BLOCK }), hash);
  return hash.digest('hex');
}
