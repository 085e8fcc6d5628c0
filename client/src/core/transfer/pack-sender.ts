/**
 * Sends the missing content of small files in packs (lambdas/README.md, "Packs"): each file that is
 * one chunk of at most LIMITS.packBlobMaxBytes is read, its chunk encoded (gzip where the sample test
 * says it pays) and added to a pack as a blob, each distinct hash once; a pack that fills is sealed and
 * PUT (POST /packs for its URL) while the next one fills, so memory holds about one pack per PUT in
 * flight. Once storage has a pack, every file whose blob it carries has its chunk confirmed in the
 * ledger (a rerun sends none of them again) and learns the pack its commit names.
 */
import { LIMITS } from '@contract/limits';
import type { ChunkInfo } from '../chunking/chunker';
import { PackBuilder, type SealedPack } from '../packing/pack-builder';
import { withRetry } from '../retry/retry';
import { encodeChunk } from './compression';
import type { TransferEnvironment } from './environment';
import { forEachLimited } from './parallel';
import { putChunk } from './storage';

/** A small file whose one chunk is missing: what is needed to read it and to report it. */
export interface PackableFile {
  readonly uploadId: string;
  readonly localPath: string;
  readonly remotePath: string;
  readonly chunk: ChunkInfo;
  /** Its plaintext: read only when its blob goes into a pack. */
  read(): Promise<Uint8Array>;
}

/** Where a file's blob went: the pack's hash and the bytes that travelled for it (0 when another file of the batch sent the same blob). */
export interface PackedFile {
  readonly pack: string;
  readonly bytesSent: number;
}

/** Whether a file goes in a pack: one chunk, small enough to be a blob. */
export const isPackable = (chunks: readonly ChunkInfo[]): boolean => chunks.length === 1 && chunks[0].size <= LIMITS.packBlobMaxBytes;

/** Sealed packs sent at once (each up to LIMITS.packTargetBytes plus a blob). */
const PACKS_IN_FLIGHT = 4;

export class PackSender {
  constructor(private readonly env: TransferEnvironment) {}

  /**
   * Packs and sends the blobs of `files`; answers, per upload id, where each file's blob went. A file
   * whose pack could not be sent is reported to `failed` with the error, and is not in the answer.
   */
  async sendAll(files: readonly PackableFile[], failed: (file: PackableFile, error: unknown) => void): Promise<Map<string, PackedFile>> {
    const { env } = this;
    const placed = new Map<string, PackedFile>();
    const builder = new PackBuilder({ createSha256: env.createSha256 });
    /** The files waiting for each hash of the pack being built. */
    let members = new Map<string, PackableFile[]>();
    const sending = new Set<Promise<void>>();
    const seal = async () => {
      // Taken together, before anything is awaited: blobs added meanwhile belong to the next pack.
      const waiting = members;
      members = new Map();
      const pack = await builder.seal();
      if (pack === undefined) return;
      // Packs in flight are held in memory: wait for one to land before sending more.
      while (sending.size >= PACKS_IN_FLIGHT) await Promise.race(sending);
      const send = this.send(pack, waiting, placed, failed).finally(() => sending.delete(send));
      sending.add(send);
    };
    await forEachLimited(files, env.concurrency, async (file) => {
      const hash = file.chunk.hash;
      if (members.has(hash)) {
        members.get(hash)!.push(file);
        return;
      }
      let plain: Uint8Array;
      try {
        plain = await file.read();
      } catch (error) {
        // The file's own problem (changed, gone): the others go on.
        failed(file, error);
        return;
      }
      const encoded = await encodeChunk(plain, env.gzip);
      // Another file of the same content may have been added while this one was read.
      if (members.has(hash)) {
        members.get(hash)!.push(file);
        return;
      }
      builder.add({ hash, plainLength: file.chunk.size, stored: encoded.body, compression: encoded.compression });
      members.set(hash, [file]);
      if (builder.full) await seal();
    });
    await seal();
    await Promise.all(sending);
    return placed;
  }

  private async send(pack: SealedPack, members: Map<string, PackableFile[]>, placed: Map<string, PackedFile>, failed: (file: PackableFile, error: unknown) => void): Promise<void> {
    const { env } = this;
    try {
      await withRetry(
        async () => {
          // A fresh URL each try: one that expired or was refused is not tried again.
          const answer = await env.api.call('startPackUploads', { body: { packs: [{ hash: pack.hash, size: pack.bytes.length }] } });
          return putChunk(env.fetch, answer.urls[0], pack.bytes, undefined, env.stallFloorMs);
        },
        {
          attempts: env.attempts,
          sleep: env.sleep,
          onRetry: (error, attempt, delayMs) =>
            env.emit({ type: 'retry', operation: `PUT pack ${pack.hash.slice(0, 12)}`, code: error.code, message: error.message, attempt, delayMs }),
        },
      );
    } catch (error) {
      for (const files of members.values()) for (const f of files) failed(f, error);
      return;
    }
    const stored = new Map(pack.blobs.map((b) => [b.hash, b.storedLength]));
    for (const [hash, files] of members) {
      for (const [i, f] of files.entries()) {
        await env.uploads.confirm(f.uploadId, hash, f.chunk.size);
        const bytesSent = i === 0 ? (stored.get(hash) ?? 0) : 0;
        env.emit({ type: 'upload.chunk', remotePath: f.remotePath, hash, bytes: f.chunk.size, outcome: i === 0 ? 'sent' : 'present' });
        placed.set(f.uploadId, { pack: pack.hash, bytesSent });
      }
    }
  }
}
