/** Random test files written and hashed as streams, so large ones never sit in memory. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const BLOCK = 1024 * 1024;

export async function randomFile(bytes: number, name = 'random.bin'): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'tote-file-')), name);
  async function* blocks() {
    for (let left = bytes; left > 0; left -= BLOCK) yield randomBytes(Math.min(BLOCK, left));
  }
  await pipeline(blocks(), createWriteStream(path));
  return path;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
