/**
 * The end-to-end check of a download: the verified chunks, landed in any order, must tile the file
 * and give its content hash (contract/content-hash.ts).
 */
import { createHash } from 'node:crypto';
import { ContentHasher } from '../../../client/src/transfer/content-hasher';
import { contentHashOfChunks } from '../../support/content-hash';
import { seededBytes } from './support/bytes';

const data = seededBytes(1, 100_000);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** `data` cut into four chunks. */
const chunks = [
  [0, 10_000],
  [10_000, 30_000],
  [40_000, 5_000],
  [45_000, 55_000],
].map(([offset, size], index) => ({ index, offset, size, hash: sha(data.subarray(offset, offset + size)) }));

describe('the content hash of a download', () => {
  it("is the file's content hash whatever order the verified chunks land in", async () => {
    // Prepare
    const hasher = new ContentHasher();

    // Act
    for (const i of [2, 0, 3, 1]) hasher.add(chunks[i], chunks[i].hash);

    // Assess
    expect(await hasher.digest(data.length)).toBe(contentHashOfChunks(chunks.map((c) => c.hash)));
  });

  it('refuses to answer while a chunk is missing', async () => {
    const hasher = new ContentHasher();
    for (const i of [0, 1, 3]) hasher.add(chunks[i], chunks[i].hash);

    await expect(hasher.digest(data.length)).rejects.toThrow('chunk 2 was never verified');
  });

  it('refuses chunks that leave a gap, overlap, or do not reach the size', async () => {
    const gap = new ContentHasher();
    chunks.forEach((c) => gap.add(c.index === 2 ? { ...c, offset: c.offset + 1 } : c, c.hash));
    const short = new ContentHasher();
    chunks.slice(0, 3).forEach((c) => short.add(c, c.hash));

    await expect(gap.digest(data.length)).rejects.toThrow('chunk 2 starts at 40001, not at 40000');
    await expect(short.digest(data.length)).rejects.toThrow('the verified chunks cover 45000 of 100000 bytes');
  });
});
