/**
 * The download's whole-content hash, computed as chunks land in any order: from memory, from the
 * file for chunks over the memory bound or kept from an earlier run, and never with a gap.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentHasher } from '../../../client/src/transfer/content-hasher';
import { seededBytes } from './support/bytes';

const data = seededBytes(1, 100_000);
/** Cuts of `data` into chunks: [offset, size]. */
const chunks: [number, number][] = [
  [0, 10_000],
  [10_000, 30_000],
  [40_000, 5_000],
  [45_000, 55_000],
];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let dir: string;
let handle: FileHandle;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tote-hasher-'));
  writeFileSync(join(dir, 'file'), data);
  handle = await open(join(dir, 'file'), 'r');
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const piece = ([offset, size]: [number, number]) => data.subarray(offset, offset + size);

describe('the whole-content hash of a download', () => {
  it('is the file\'s hash whatever order the chunks land in', async () => {
    // Prepare
    const hasher = new ContentHasher(handle, 'file');

    // Act
    for (const i of [2, 0, 3, 1]) hasher.add(chunks[i][0], piece(chunks[i]));

    // Assess
    expect(await hasher.digest(data.length)).toBe(sha(data));
  });

  it('reads back from the file the chunks over its memory bound, and those kept from an earlier run', async () => {
    // Prepare: room in memory for 20,000 bytes only
    const hasher = new ContentHasher(handle, 'file', 20_000);

    // Act
    hasher.add(chunks[3][0], piece(chunks[3]));
    hasher.add(chunks[1][0], chunks[1][1]);
    hasher.add(chunks[2][0], piece(chunks[2]));
    hasher.add(chunks[0][0], piece(chunks[0]));

    // Assess
    expect(await hasher.digest(data.length)).toBe(sha(data));
  });

  it('refuses to answer while a chunk is missing', async () => {
    // Prepare
    const hasher = new ContentHasher(handle, 'file');

    // Act
    for (const i of [0, 2, 3]) hasher.add(chunks[i][0], piece(chunks[i]));

    // Assess
    await expect(hasher.digest(data.length)).rejects.toThrow('a chunk was never added');
  });
});
