/**
 * Downloads one file revision: the manifest comes in pages of signed chunk URLs; chunks are taken
 * from local files where this machine already has them, otherwise fetched in parallel and verified;
 * each is written at its offset into a temp file beside the destination and recorded, so a killed
 * download resumes. Every chunk is verified against its hash (a resumed one is read back first), then
 * the verified chunks against the file's content hash (content-hasher.ts); the temp file is flushed
 * and renamed into place: the destination is either the old file or the complete new one.
 */
import type { DownloadChunk, DownloadResponse, FileMetadata } from '@contract/schemas';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasCode, ToteError } from '../errors';
import { fsError, onDisk } from '../localfs/errors';
import { sha256Hex } from '../hashing/sha256';
import { statEntry } from '../localfs/identity';
import { readRange, writeRange } from '../localfs/ranges';
import { withRetry } from '../retry/retry';
import { decodeChunk } from './chunk-codec';
import { ContentHasher } from './content-hasher';
import type { TransferContext } from './context';
import { PageUrls } from './download-pages';
import { readLocalChunk } from './local-chunks';
import { forEachLimited } from './parallel';
import { getChunk } from './storage';
import { tempDownloadPath } from './temp-names';

export interface DownloadResult {
  readonly remotePath: string;
  readonly localPath: string;
  readonly file: FileMetadata;
  /** Bytes that travelled from storage in this run (as stored, so compressed where they were). */
  readonly bytesReceived: number;
  readonly chunksFetched: number;
  /** Chunks copied from local files or kept from an interrupted run. */
  readonly chunksReused: number;
}

/** Fresh page URLs asked for one chunk before storage's refusal is taken as final. */
const MAX_URL_RENEWALS = 2;

export async function downloadFile(ctx: TransferContext, file: FileMetadata, destPath: string): Promise<DownloadResult> {
  const job = new DownloadJob(ctx, file, destPath, tempDownloadPath(destPath, file.fileId));
  return job.run();
}

class DownloadJob {
  private bytesReceived = 0;
  private chunksFetched = 0;
  private chunksReused = 0;
  /** The manifest as it arrives, recorded afterwards so later transfers can reuse these chunks. */
  private readonly manifest: DownloadChunk[] = [];

  constructor(
    private readonly ctx: TransferContext,
    private readonly file: FileMetadata,
    private readonly destPath: string,
    private readonly tempPath: string,
  ) {}

  async run(): Promise<DownloadResult> {
    const { ctx, file, tempPath } = this;
    ctx.emit({
      type: 'download.start',
      remotePath: file.path,
      localPath: this.destPath,
      fileId: file.fileId,
      revision: file.revision,
      size: file.size,
      chunks: file.chunkCount,
    });
    const { handle, done } = await this.openTemp();
    try {
      const whole = new ContentHasher();
      for (let offset: number | undefined = 0; offset !== undefined; ) {
        const page = await this.page(offset);
        this.manifest.push(...page.chunks);
        await this.fill(handle, page, offset, done, whole);
        offset = page.nextChunkOffset;
      }
      await this.verifyWhole(whole);
      await onDisk(tempPath, () => handle.sync());
    } finally {
      await handle.close();
    }
    await onDisk(this.destPath, () => rename(tempPath, this.destPath));
    await this.syncDirectory();
    ctx.state.downloads.finish(tempPath);
    await this.recordLocalCopy();
    const result: DownloadResult = {
      remotePath: file.path,
      localPath: this.destPath,
      file,
      bytesReceived: this.bytesReceived,
      chunksFetched: this.chunksFetched,
      chunksReused: this.chunksReused,
    };
    ctx.emit({
      type: 'download.done',
      remotePath: file.path,
      localPath: this.destPath,
      size: file.size,
      bytesReceived: this.bytesReceived,
      chunksFetched: this.chunksFetched,
      chunksReused: this.chunksReused,
    });
    return result;
  }

  /** Opens the temp file, resuming a previous run's for the same revision when its file is still there. */
  private async openTemp(): Promise<{ handle: FileHandle; done: Set<number> }> {
    const { ctx, file, tempPath } = this;
    const record = {
      tempPath,
      destPath: this.destPath,
      fileId: file.fileId,
      revision: file.revision,
      contentHash: file.contentHash,
      size: file.size,
    };
    const written = ctx.state.downloads.begin(record);
    if (written.length > 0) {
      try {
        const handle = await open(tempPath, 'r+');
        return { handle, done: new Set(written.map((c) => c.index)) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(error, tempPath);
        ctx.state.downloads.finish(tempPath);
        ctx.state.downloads.begin(record);
      }
    }
    const handle = await onDisk(tempPath, () => open(tempPath, 'w+'));
    await onDisk(tempPath, () => handle.truncate(file.size));
    return { handle, done: new Set() };
  }

  private page(chunkOffset: number): Promise<DownloadResponse> {
    return this.ctx.api.call('getDownload', {
      params: { fileId: this.file.fileId },
      query: { chunkOffset: String(chunkOffset), revision: String(this.file.revision) },
    });
  }

  /** Puts every chunk of a page in place; a chunk repeated within the page is obtained once. */
  private async fill(handle: FileHandle, page: DownloadResponse, pageOffset: number, done: ReadonlySet<number>, whole: ContentHasher): Promise<void> {
    const byHash = new Map<string, DownloadChunk[]>();
    for (const chunk of page.chunks) {
      if (done.has(chunk.index) && (await this.keptIntact(handle, chunk))) {
        whole.add(chunk, chunk.hash);
        this.chunksReused += 1;
        this.ctx.emit({ type: 'download.chunk', remotePath: this.file.path, index: chunk.index, bytes: chunk.size, source: 'resumed' });
        continue;
      }
      const same = byHash.get(chunk.hash);
      if (same) same.push(chunk);
      else byHash.set(chunk.hash, [chunk]);
    }
    const urls = new PageUrls(page, () => this.page(pageOffset));
    await forEachLimited(byHash.values(), this.ctx.concurrency, async (group) => {
      const first = group[0];
      let bytes = await readLocalChunk(this.ctx.state.localFiles, first.hash, first.size);
      const source = bytes ? 'local' : 'network';
      bytes ??= await this.fetchChunk(first, urls);
      for (const chunk of group) {
        await writeRange(handle, this.tempPath, chunk.offset, bytes);
        // Verified on arrival: decodeChunk and readLocalChunk check the bytes against the hash.
        whole.add(chunk, chunk.hash);
        this.ctx.state.downloads.written(this.tempPath, chunk);
        if (source === 'local' || chunk !== first) this.chunksReused += 1;
        this.ctx.emit({ type: 'download.chunk', remotePath: this.file.path, index: chunk.index, bytes: chunk.size, source });
      }
    });
  }

  /** Whether a chunk an interrupted run wrote is still there, intact: read back and hashed (else it is fetched again). */
  private async keptIntact(handle: FileHandle, chunk: DownloadChunk): Promise<boolean> {
    return sha256Hex(await readRange(handle, this.tempPath, chunk.offset, chunk.size)) === chunk.hash;
  }

  private fetchChunk(chunk: DownloadChunk, urls: PageUrls): Promise<Buffer> {
    return withRetry(
      async () => {
        for (let renewals = 0; ; renewals++) {
          const url = urls.url(chunk.index);
          let stored: Buffer;
          try {
            stored = await getChunk(this.ctx.fetch, url, chunk.storedSize);
          } catch (error) {
            if (!hasCode(error, 'URL_REJECTED') || renewals >= MAX_URL_RENEWALS) throw error;
            await urls.renew(chunk.index, url);
            continue;
          }
          const plain = await decodeChunk(stored, chunk);
          this.bytesReceived += stored.length;
          this.chunksFetched += 1;
          return plain;
        }
      },
      {
        attempts: this.ctx.attempts,
        sleep: this.ctx.sleep,
        onRetry: (error, attempt, delayMs) =>
          this.ctx.emit({ type: 'retry', operation: `GET chunk ${chunk.index} of ${this.file.path}`, code: error.code, message: error.message, attempt, delayMs }),
      },
    );
  }

  /**
   * Every chunk was verified on arrival (or read back); this checks that the verified chunks, in
   * order, are the file the service described: its content hash. A mismatch discards the temp file
   * so a rerun starts clean.
   */
  private async verifyWhole(whole: ContentHasher): Promise<void> {
    const hash = await whole.digest(this.file.size);
    if (hash === this.file.contentHash) return;
    this.ctx.state.downloads.finish(this.tempPath);
    await rm(this.tempPath, { force: true });
    throw new ToteError('CHUNK_CORRUPT', `the downloaded bytes do not match the file's content hash; run the command again`, {
      subject: this.file.path,
    });
  }

  /** Makes the rename durable: on Linux the directory entry is only safe once the directory is flushed. */
  private async syncDirectory(): Promise<void> {
    const dir = await open(dirname(this.destPath), 'r').catch(() => undefined);
    if (!dir) return;
    try {
      await dir.sync().catch(() => undefined);
    } finally {
      await dir.close();
    }
  }

  private async recordLocalCopy(): Promise<void> {
    const identity = await statEntry(this.destPath);
    this.ctx.state.localFiles.record(this.destPath, identity, {
      size: this.file.size,
      chunks: this.manifest.map((c) => ({ index: c.index, offset: c.offset, size: c.size, hash: c.hash })),
    });
  }
}
