/**
 * Measures the chunker on random data held in memory (no disk): boundary scanning alone, scanning
 * plus per-chunk SHA-256, keeping each chunk's bytes as an upload does, and the whole manifest.
 * Usage: npx tsx client/scripts/chunker-throughput.ts [MiB=256]
 */
import { randomBytes } from 'node:crypto';
import { chunkStream } from '../src/core/chunking/chunker';
import { buildManifest } from '../src/core/chunking/manifest';
import { cutterFor, DEFAULT_CHUNKING } from '../src/core/chunking/params';
import { BoundaryScanner } from '../src/core/chunking/scanner';
import { nodeSha256 } from '../src/hashing/sha256';

const MiB = 1024 * 1024;
const BUFFER = MiB;

async function* buffers(data: Buffer): AsyncGenerator<Buffer> {
  for (let o = 0; o < data.length; o += BUFFER) yield data.subarray(o, o + BUFFER);
}

async function timed(label: string, mib: number, work: () => Promise<number>): Promise<void> {
  const start = process.hrtime.bigint();
  const chunks = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(34)} ${(mib / seconds).toFixed(0).padStart(6)} MiB/s  (${chunks} chunks, mean ${(mib / chunks).toFixed(2)} MiB)`);
}

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 256);
  const data = randomBytes(mib * MiB);
  for (let round = 1; round <= 2; round++) {
    console.log(`round ${round}, ${mib} MiB of random data, ${BUFFER / MiB} MiB buffers`);
    await timed('boundaries only', mib, async () => {
      const scanner = new BoundaryScanner(cutterFor(DEFAULT_CHUNKING));
      let cuts = 0;
      for await (const buf of buffers(data)) {
        for (let from = 0; from < buf.length; ) {
          const cut = scanner.next(buf, from);
          if (cut < 0) break;
          cuts += 1;
          from = cut;
        }
      }
      return cuts + (scanner.pendingBytes > 0 ? 1 : 0);
    });
    await timed('boundaries + chunk SHA-256', mib, async () => {
      let n = 0;
      for await (const _ of chunkStream(buffers(data), { createSha256: nodeSha256 })) n += 1;
      return n;
    });
    await timed('+ chunk bytes kept (an upload)', mib, async () => {
      let n = 0;
      for await (const _ of chunkStream(buffers(data), { createSha256: nodeSha256, keepBytes: true })) n += 1;
      return n;
    });
    await timed('manifest (content hash of digests)', mib, async () => (await buildManifest(buffers(data), { createSha256: nodeSha256 })).chunks.length);
  }
}

void main();
