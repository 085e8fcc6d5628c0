/**
 * Sends the chunks storage lacks: compresses those worth it (compression.ts) and PUTs them, each
 * with the exact headers its presigned URL was signed with, retrying transient failures. Every chunk
 * storage accepts is written to the ledger at once, so a rerun after a crash never sends it again.
 * The bytes come from the caller (an open upload hands over each chunk as it is cut) or are read
 * from the source by range (chunks of a manifest known beforehand, resends at the commit).
 */
import type { Compression } from '@contract/schemas';
import type { Fetch } from '../api/http';
import type { ChunkInfo } from '../chunking/chunker';
import { hasCode, ToteError } from '../errors';
import type { TransferEventSink } from '../events';
import { sha256Of, type Sha256Factory } from '../hashing/sha256';
import type { ByteSource } from '../io';
import { withRetry } from '../retry/retry';
import type { BufferPool } from './buffer-pool';
import { encodeChunk, type EncodedChunk, type Gzip } from './compression';
import type { UploadLedger } from './ledger';
import { forEachLimited } from './parallel';
import { putChunk, type PutOutcome } from './storage';
import type { UploadUrlPool } from './url-pool';

export interface ChunkSenderContext {
  readonly fetch: Fetch;
  readonly uploadId: string;
  /** Names the source in errors (a path, a file name). */
  readonly localPath: string;
  readonly remotePath: string;
  readonly source: ByteSource;
  /** Where each distinct chunk is in the source (an open upload adds them as it cuts them). */
  readonly chunks: ReadonlyMap<string, ChunkInfo>;
  readonly urls: UploadUrlPool;
  readonly ledger: UploadLedger;
  /** Chunks storage accepted for this target before (earlier runs): never sent again. */
  readonly confirmed: ReadonlySet<string>;
  readonly emit: TransferEventSink;
  readonly gzip: Gzip;
  readonly createSha256: Sha256Factory;
  /** Chunks sendAll sends at once; also its bound on chunk buffers in memory. */
  readonly concurrency: number;
  /** Where chunks read from the source are read into (reused, bounding the bytes in flight), when the source can fill a buffer. */
  readonly buffers?: BufferPool;
  /** Tries per chunk for transient failures, the first included. */
  readonly attempts: number;
  readonly stallFloorMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Cancels the transfers (CANCELLED). */
  readonly signal?: AbortSignal;
}

/** Fresh URLs asked for one chunk before storage's refusal is taken as final. */
const MAX_URL_RENEWALS = 2;

export class ChunkSender {
  /** Bytes that travelled (compressed where chunks were). */
  bytesSent = 0;
  chunksSent = 0;
  chunksPresent = 0;
  /** How storage last answered for each chunk sent: told apart in the commit's diagnosis. */
  readonly outcomes = new Map<string, PutOutcome>();
  /** Chunks storage accepted, in this run or an earlier one. */
  readonly confirmed: Set<string>;

  constructor(private readonly ctx: ChunkSenderContext) {
    this.confirmed = new Set(ctx.confirmed);
  }

  /** Carries on from an earlier sender of the same upload (one whose source is closed): its counts and outcomes. */
  adopt(previous: ChunkSender): void {
    this.bytesSent += previous.bytesSent;
    this.chunksSent += previous.chunksSent;
    this.chunksPresent += previous.chunksPresent;
    for (const [hash, outcome] of previous.outcomes) this.outcomes.set(hash, outcome);
    for (const hash of previous.confirmed) this.confirmed.add(hash);
  }

  /** Sends every hash, reading each from the source; stops starting new PUTs after the first failure and rethrows it. */
  sendAll(hashes: readonly string[]): Promise<void> {
    return forEachLimited(hashes, this.ctx.concurrency, (hash) => this.send(hash));
  }

  /**
   * Sends again with URLs asked for anew, with `verify`: that makes the service check an object it
   * holds but never registered (registering good bytes, deleting bad ones), so a chunk that only ever
   * got 412 can then go up for real, or turns out to be there.
   */
  resendAll(hashes: readonly string[]): Promise<void> {
    for (const hash of hashes) this.ctx.urls.invalidate(hash, true);
    return this.sendAll(hashes);
  }

  /** A chunk storage has already (the service does not list it as missing): reported, nothing sent. */
  present(hash: string): void {
    const chunk = this.chunkOf(hash);
    this.ctx.urls.retire(hash);
    this.ctx.emit({ type: 'upload.chunk', remotePath: this.ctx.remotePath, hash, bytes: chunk.size, outcome: 'present' });
  }

  /**
   * Sends one chunk: `plain` are its bytes when the caller has them (hashed as they were cut), else
   * they are read from the source; `intended` the compression its sample called for, when known.
   */
  async send(hash: string, plain?: Uint8Array, intended?: Compression): Promise<void> {
    const { ctx } = this;
    const chunk = this.chunkOf(hash);
    const read = plain ? { bytes: plain } : await this.read(chunk);
    let outcome: PutOutcome | undefined;
    try {
      const encoded = await encodeChunk(read.bytes, ctx.gzip, intended);
      outcome = await withRetry(() => this.putWithFreshUrl(hash, encoded), {
        attempts: ctx.attempts,
        sleep: ctx.sleep,
        onRetry: (error, attempt, delayMs) =>
          ctx.emit({ type: 'retry', operation: `PUT chunk ${hash.slice(0, 12)}`, code: error.code, message: error.message, attempt, delayMs }),
      });
      if (outcome === 'stored') {
        this.bytesSent += encoded.body.length;
        this.chunksSent += 1;
      } else {
        this.chunksPresent += 1;
      }
    } finally {
      // Storage answers 2xx only once it has every byte: the request is done with the buffer. Any
      // other answer may have come while the body was still going out, so that buffer is never reused.
      if (read.pooled) (outcome === 'stored' ? ctx.buffers?.giveBack(read.pooled) : ctx.buffers?.forget(read.pooled));
    }
    await ctx.ledger.confirm(ctx.uploadId, hash, chunk.size);
    this.confirmed.add(hash);
    this.outcomes.set(hash, outcome as PutOutcome);
    ctx.urls.retire(hash);
    ctx.emit({ type: 'upload.chunk', remotePath: ctx.remotePath, hash, bytes: chunk.size, outcome: outcome === 'stored' ? 'sent' : 'present' });
  }

  private chunkOf(hash: string): ChunkInfo {
    const chunk = this.ctx.chunks.get(hash);
    if (!chunk) throw new ToteError('UNEXPECTED_RESPONSE', `the service asked for chunk ${hash}, which is not in this file`, { subject: this.ctx.remotePath });
    return chunk;
  }

  /**
   * A chunk's bytes read back from the source. Its hash was taken earlier; bytes that no longer match
   * would be sent only to be rejected. An unchanged source after the read proves they match (for a
   * file, any write moves its identity) without hashing them again; otherwise the hash decides.
   */
  private async read(chunk: ChunkInfo): Promise<{ bytes: Uint8Array; pooled?: Uint8Array }> {
    const { source, buffers } = this.ctx;
    const readInto = source.readInto?.bind(source);
    const pooled = buffers && readInto ? await buffers.take(chunk.size) : undefined;
    try {
      const bytes = pooled && readInto ? await readInto(chunk.offset, pooled) : await source.read(chunk.offset, chunk.size);
      if (!(await source.unchanged()) && (await sha256Of(this.ctx.createSha256, bytes)) !== chunk.hash) {
        throw new ToteError('LOCAL_CHANGED', `file changed while uploading (bytes at offset ${chunk.offset} differ); run the command again`, {
          subject: this.ctx.localPath,
        });
      }
      return { bytes, pooled };
    } catch (error) {
      if (pooled) buffers?.giveBack(pooled);
      throw error;
    }
  }

  private async putWithFreshUrl(hash: string, encoded: EncodedChunk): Promise<PutOutcome> {
    for (let renewals = 0; ; renewals++) {
      const put = await this.ctx.urls.get(hash, encoded.compression);
      // No URL handed out: the service no longer lists the chunk as missing.
      if (!put) return 'present';
      try {
        return await putChunk(this.ctx.fetch, put, encoded.body, this.ctx.signal, this.ctx.stallFloorMs);
      } catch (error) {
        if (!hasCode(error, 'URL_REJECTED') || renewals >= MAX_URL_RENEWALS) throw error;
        this.ctx.urls.invalidate(hash);
      }
    }
  }
}
