/**
 * Pass 2 of an upload: reads the chunks storage lacks from the file by offset, compresses those
 * worth it (compression.ts) and PUTs them in parallel, each with the exact headers its presigned URL
 * was signed with. Every chunk storage accepts is written to the ledger at once, so a rerun after a
 * crash never sends it again. At most `concurrency` chunks (plaintext and compressed) are in memory
 * at a time.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Fetch } from '../api/http';
import type { ChunkInfo } from '../chunking/chunker';
import { hasCode, ToteError } from '../errors';
import type { EventSink } from '../../events';
import { sha256Hex } from '../../hashing/sha256';
import { handleIdentity, sameIdentity, type FileIdentity } from '../../localfs/identity';
import { readRange } from '../../localfs/ranges';
import { withRetry } from '../retry/retry';
import type { UploadLedger } from '../../state/upload-ledger';
import { encodeChunk, type EncodedChunk } from './compression';
import { forEachLimited } from './parallel';
import { putChunk, type PutOutcome } from './storage';
import type { UploadUrlPool } from './url-pool';

export interface ChunkSenderContext {
  readonly fetch: Fetch;
  readonly uploadId: string;
  readonly localPath: string;
  readonly remotePath: string;
  readonly handle: FileHandle;
  /** The file's identity when its chunks were hashed: while it holds, the bytes are the ones hashed. */
  readonly identity: FileIdentity;
  /** Where each distinct chunk is in the file. */
  readonly chunks: ReadonlyMap<string, ChunkInfo>;
  readonly urls: UploadUrlPool;
  readonly ledger: UploadLedger;
  readonly emit: EventSink;
  readonly concurrency: number;
  /** Tries per chunk for transient failures, the first included. */
  readonly attempts: number;
  readonly sleep?: (ms: number) => Promise<void>;
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

  constructor(private readonly ctx: ChunkSenderContext) {}

  /** Carries on from an earlier sender of the same upload (one whose file handle is closed): its counts and outcomes. */
  adopt(previous: ChunkSender): void {
    this.bytesSent += previous.bytesSent;
    this.chunksSent += previous.chunksSent;
    this.chunksPresent += previous.chunksPresent;
    for (const [hash, outcome] of previous.outcomes) this.outcomes.set(hash, outcome);
  }

  /** Sends every hash; stops starting new PUTs after the first failure and rethrows it. */
  sendAll(hashes: readonly string[]): Promise<void> {
    return forEachLimited(hashes, this.ctx.concurrency, (hash) => this.sendOne(hash));
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

  private async sendOne(hash: string): Promise<void> {
    const { ctx } = this;
    const chunk = ctx.chunks.get(hash);
    if (!chunk) throw new ToteError('UNEXPECTED_RESPONSE', `the service asked for chunk ${hash}, which is not in this file`, { subject: ctx.remotePath });
    const body = await readRange(ctx.handle, ctx.localPath, chunk.offset, chunk.size);
    // The manifest was computed earlier; bytes that no longer match would be sent only to be rejected.
    // An unchanged identity after the read proves they match (any write moves ctime) without hashing
    // them again; otherwise (a chmod, a touch, or a real edit) the hash decides.
    const unchanged = sameIdentity(await handleIdentity(ctx.handle, ctx.localPath), ctx.identity);
    if (!unchanged && sha256Hex(body) !== hash) {
      throw new ToteError('LOCAL_CHANGED', `file changed while uploading (bytes at offset ${chunk.offset} differ); run the command again`, {
        subject: ctx.localPath,
      });
    }
    const encoded = await encodeChunk(body);
    const outcome = await withRetry(() => this.putWithFreshUrl(hash, encoded), {
      attempts: ctx.attempts,
      sleep: ctx.sleep,
      onRetry: (error, attempt, delayMs) =>
        ctx.emit({ type: 'retry', operation: `PUT chunk ${hash.slice(0, 12)}`, code: error.code, message: error.message, attempt, delayMs }),
    });
    ctx.ledger.confirm(ctx.uploadId, hash, chunk.size);
    this.outcomes.set(hash, outcome);
    if (outcome === 'stored') {
      this.bytesSent += encoded.body.length;
      this.chunksSent += 1;
    } else {
      this.chunksPresent += 1;
    }
    ctx.emit({ type: 'upload.chunk', remotePath: ctx.remotePath, hash, bytes: chunk.size, outcome: outcome === 'stored' ? 'sent' : 'present' });
  }

  private async putWithFreshUrl(hash: string, encoded: EncodedChunk): Promise<PutOutcome> {
    for (let renewals = 0; ; renewals++) {
      const put = await this.ctx.urls.get(hash, encoded.compression);
      // No URL handed out: the service no longer lists the chunk as missing.
      if (!put) return 'present';
      try {
        return await putChunk(this.ctx.fetch, put, encoded.body);
      } catch (error) {
        if (!hasCode(error, 'URL_REJECTED') || renewals >= MAX_URL_RENEWALS) throw error;
        this.ctx.urls.invalidate(hash);
      }
    }
  }
}
