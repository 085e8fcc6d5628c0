/**
 * Downloads one file revision into a sink sized to it (a preallocated file, a browser's writable
 * file, memory). The manifest comes in pages of signed chunk URLs; each chunk is taken from where it
 * already is (written by an interrupted run, elsewhere in this file, or on this device) or fetched,
 * `concurrency` at a time across pages, and written at its offset as its bytes arrive, while its
 * SHA-256 is taken (chunk-codec.ts). When all are in, the content hash computed from the chunk
 * digests must be the file's (contract/content-hash.ts): every byte is then proven, end to end,
 * without reading the file again. Only then is the target completed (made durable, put in place).
 */
import { contentHashOf } from '@contract/content-hash';
import type { DownloadChunk, DownloadResponse, FileMetadata } from '@contract/schemas';
import type { ApiClient } from '../api/client';
import type { ChunkInfo } from '../chunking/chunker';
import { hasCode, throwIfCancelled, ToteError } from '../errors';
import { sha256Of } from '../hashing/sha256';
import type { ByteSink } from '../io';
import { withRetry } from '../retry/retry';
import { BufferPool } from './buffer-pool';
import { gatherBytes, receiveChunk } from './chunk-codec';
import { PageUrls } from './download-pages';
import type { TransferEnvironment } from './environment';
import type { Awaitable } from './ledger';
import { TaskGroup } from './parallel';
import { getChunk } from './storage';

export interface DownloadTarget {
  readonly sink: ByteSink;
  /** Reads back what was written: resumed chunks are checked, repeated chunks copied. Absent where a sink cannot be read. */
  readonly read?: (offset: number, length: number) => Promise<Uint8Array>;
  /** Chunks (by index) an interrupted run wrote into this sink; needs `read`. */
  readonly resumed?: ReadonlySet<number>;
  /** A chunk's verified bytes found on this device (the Node client keeps an index of local files' chunks). */
  readonly local?: (hash: string, size: number) => Promise<Uint8Array | undefined>;
  /** A chunk is written and verified: recorded, so a rerun keeps it. */
  readonly written?: (chunk: ChunkInfo) => Awaitable<void>;
  /** Every byte is in and proven: make it durable and put it in place. */
  readonly complete: () => Promise<void>;
  /** The content failed as a whole: throw away what was written, so a rerun starts clean. */
  readonly discard: () => Promise<void>;
}

export interface DownloadJob {
  readonly file: FileMetadata;
  /** Names the destination in events (a path, a file name). */
  readonly localPath: string;
  readonly target: DownloadTarget;
  /** The first page of `file`'s manifest when a batch already brought it (download-batch.ts); later pages, and fresh URLs, are asked for. */
  readonly firstPage?: DownloadResponse;
  /** Cancels the download: nothing new starts, transfers in flight are aborted, CANCELLED is thrown (the target is left as is). */
  readonly signal?: AbortSignal;
}

export interface DownloadOutcome {
  /** The file's chunks in order (what the Node client records, so later transfers can reuse them). */
  readonly chunks: readonly ChunkInfo[];
  /** Bytes that travelled from storage in this run (as stored, so compressed where they were). */
  readonly bytesReceived: number;
  readonly chunksFetched: number;
  /** Chunks kept from an interrupted run, copied from elsewhere in the file or from local files. */
  readonly chunksReused: number;
}

type Env = Pick<TransferEnvironment, 'fetch' | 'createSha256' | 'emit' | 'concurrency' | 'attempts' | 'stallFloorMs' | 'sleep'> & {
  /** Only its calls: a Web Worker's engine asks the page, which holds the session. */
  readonly api: Pick<ApiClient, 'call'>;
};

/** Fresh page URLs asked for one chunk before storage's refusal is taken as final. */
const MAX_URL_RENEWALS = 2;

export function downloadInto(env: Env, job: DownloadJob): Promise<DownloadOutcome> {
  return new Download(env, job).run();
}

class Download {
  private bytesReceived = 0;
  private chunksFetched = 0;
  private chunksReused = 0;
  private readonly chunks: ChunkInfo[] = [];
  /** Where each hash was first put in this file: later places copy it (read back) instead of fetching it again. */
  private readonly placed = new Map<string, Promise<ChunkInfo | undefined>>();
  private readonly tasks: TaskGroup;
  /** Where chunks in flight gather their pieces for writing: reused, as a buffer per chunk would be garbage by the megabyte. */
  private readonly gathering: BufferPool;

  constructor(
    private readonly env: Env,
    private readonly job: DownloadJob,
  ) {
    this.tasks = new TaskGroup(env.concurrency);
    this.gathering = new BufferPool(env.concurrency * gatherBytes(Infinity));
  }

  async run(): Promise<DownloadOutcome> {
    const { env, job } = this;
    const { file } = job;
    env.emit({ type: 'download.start', remotePath: file.path, localPath: job.localPath, fileId: file.fileId, revision: file.revision, size: file.size, chunks: file.chunkCount });
    try {
      for (let offset: number | undefined = 0; offset !== undefined && !this.tasks.failed; ) {
        throwIfCancelled(job.signal);
        const at: number = offset;
        const page = at === 0 && job.firstPage ? job.firstPage : await this.page(at);
        const urls = new PageUrls(page, () => this.page(at));
        for (const chunk of page.chunks) this.place(chunk, urls);
        offset = page.nextChunkOffset;
        // The next page once this one's chunks are under way, so transfers never drain at a page's end.
        while (this.tasks.size > env.concurrency) await this.tasks.settledOne();
      }
    } finally {
      await this.tasks.drained();
    }
    throwIfCancelled(job.signal);
    await this.verify();
    await job.target.complete();
    const counts = { bytesReceived: this.bytesReceived, chunksFetched: this.chunksFetched, chunksReused: this.chunksReused };
    env.emit({ type: 'download.done', remotePath: file.path, localPath: job.localPath, size: file.size, ...counts });
    return { chunks: this.chunks, ...counts };
  }

  private page(chunkOffset: number): Promise<DownloadResponse> {
    const { file } = this.job;
    return this.env.api.call('getDownload', {
      params: { fileId: file.fileId },
      query: { chunkOffset: String(chunkOffset), revision: String(file.revision) },
    });
  }

  /** Takes a chunk of the manifest (which must tile the file in order) and schedules putting it in place. */
  private place(chunk: DownloadChunk, urls: PageUrls): void {
    const last = this.chunks[this.chunks.length - 1];
    const offset = last ? last.offset + last.size : 0;
    if (chunk.index !== this.chunks.length || chunk.offset !== offset) {
      throw new ToteError('UNEXPECTED_RESPONSE', `the service described chunk ${chunk.index} at ${chunk.offset}, not chunk ${this.chunks.length} at ${offset}`);
    }
    const info: ChunkInfo = { index: chunk.index, offset: chunk.offset, size: chunk.size, hash: chunk.hash };
    this.chunks.push(info);
    const first = this.placed.get(chunk.hash);
    if (!first) {
      let settle: (placed: ChunkInfo | undefined) => void = () => undefined;
      this.placed.set(chunk.hash, new Promise((resolve) => (settle = resolve)));
      this.tasks.add(async () => {
        let ok = false;
        try {
          await this.putFirst(chunk, urls);
          ok = true;
        } finally {
          settle(ok ? info : undefined);
        }
      });
      return;
    }
    this.tasks.add(async () => {
      const source = await first;
      if (await this.resumed(info)) return;
      if (source && (await this.copy(source, info))) return this.landed(info, 'local');
      await this.fetch(chunk, urls);
      await this.landed(info, 'network');
    });
  }

  /** The first place of a hash: kept from an interrupted run, copied from a local file, or fetched. */
  private async putFirst(chunk: DownloadChunk, urls: PageUrls): Promise<void> {
    const { target } = this.job;
    const info: ChunkInfo = { index: chunk.index, offset: chunk.offset, size: chunk.size, hash: chunk.hash };
    if (await this.resumed(info)) return;
    const local = await target.local?.(chunk.hash, chunk.size);
    if (local) {
      await target.sink.write(chunk.offset, local);
      return this.landed(info, 'local');
    }
    await this.fetch(chunk, urls);
    await this.landed(info, 'network');
  }

  /** Whether an interrupted run wrote this chunk and its bytes still hash right (a crash may have lost unflushed ones). */
  private async resumed(chunk: ChunkInfo): Promise<boolean> {
    const { target } = this.job;
    if (!target.resumed?.has(chunk.index) || !target.read) return false;
    if ((await sha256Of(this.env.createSha256, await target.read(chunk.offset, chunk.size))) !== chunk.hash) return false;
    this.chunksReused += 1;
    this.env.emit({ type: 'download.chunk', remotePath: this.job.file.path, index: chunk.index, bytes: chunk.size, source: 'resumed' });
    return true;
  }

  /** Copies a chunk from its first place in the file (read back: no second fetch); false when the sink cannot be read. */
  private async copy(from: ChunkInfo, to: ChunkInfo): Promise<boolean> {
    const { target } = this.job;
    if (!target.read) return false;
    const bytes = await target.read(from.offset, from.size);
    if ((await sha256Of(this.env.createSha256, bytes)) !== to.hash) return false;
    await target.sink.write(to.offset, bytes);
    return true;
  }

  /** A chunk is written and verified: recorded first (so a rerun keeps it), then reported. */
  private async landed(chunk: ChunkInfo, source: 'local' | 'network'): Promise<void> {
    await this.job.target.written?.(chunk);
    if (source === 'local') this.chunksReused += 1;
    else this.chunksFetched += 1;
    this.env.emit({ type: 'download.chunk', remotePath: this.job.file.path, index: chunk.index, bytes: chunk.size, source });
  }

  /** Fetches a chunk into place, verified as it arrives; retries transient failures and renews refused URLs. */
  private async fetch(chunk: DownloadChunk, urls: PageUrls): Promise<void> {
    const { env, job } = this;
    await withRetry(
      async () => {
        for (let renewals = 0; ; renewals++) {
          const url = urls.url(chunk.index);
          let stored;
          try {
            stored = await getChunk(env.fetch, url, chunk.storedSize, job.signal, env.stallFloorMs, chunk.range);
          } catch (error) {
            if (!hasCode(error, 'URL_REJECTED') || renewals >= MAX_URL_RENEWALS) throw error;
            await urls.renew(chunk.index, url);
            continue;
          }
          let travelled: number;
          const gather = await this.gathering.take(gatherBytes(chunk.size));
          try {
            travelled = await receiveChunk(stored.pieces, chunk, { createSha256: env.createSha256, write: (at, data) => job.target.sink.write(at, data), gather });
          } catch (error) {
            stored.cancel();
            throw error;
          } finally {
            this.gathering.giveBack(gather);
          }
          this.bytesReceived += travelled;
          return;
        }
      },
      {
        attempts: env.attempts,
        sleep: env.sleep,
        onRetry: (error, attempt, delayMs) =>
          env.emit({ type: 'retry', operation: `GET chunk ${chunk.index} of ${job.file.path}`, code: error.code, message: error.message, attempt, delayMs }),
      },
    );
  }

  /**
   * Every chunk was verified as it landed; this proves the chunks, in order, are the file the service
   * described. A mismatch throws the written bytes away, so a rerun starts clean.
   */
  private async verify(): Promise<void> {
    const { file, target } = this.job;
    const last = this.chunks[this.chunks.length - 1];
    const size = last ? last.offset + last.size : 0;
    if (this.chunks.length === file.chunkCount && size === file.size && (await contentHashOf(this.chunks.map((c) => c.hash))) === file.contentHash) return;
    await target.discard();
    throw new ToteError('CHUNK_CORRUPT', `the downloaded chunks do not make up the file's content (hash ${file.contentHash}); run the command again`, {
      subject: file.path,
    });
  }
}
