/**
 * Uploads one source (a local file, a browser File) to a remote path or as the next revision of a
 * file by id, as an open upload (contract/schemas.ts, StartUploadBody): the file is read once, each
 * chunk is sent as soon as it is cut and hashed, URLs are asked for in batches as the file is read,
 * and the whole manifest is committed at the end. A file whose manifest is known already (unchanged
 * since it was hashed) starts with all of it and reads only the chunks storage lacks.
 *
 * The work runs in three overlapping stages:
 *
 *   cut     the source is read in pieces and cut into chunks (hashed as they pass, their first
 *           bytes kept for the compression test); reading waits while the bytes cut and not yet
 *           settled in storage reach the budget (backpressure), so it stays close enough ahead of
 *           sending that a chunk read again to be sent comes from the page cache;
 *   name    the chunks cut are named to the service in batches (the first batch opens the session,
 *           the next ask POST /uploads/{id}/urls), at most two requests in flight, each taking all
 *           that was cut meanwhile, so batches grow by themselves when the service is slow;
 *   send    each chunk the service lists as missing (and no earlier run had confirmed) is read
 *           again and PUT at once, `concurrency` at a time; the others are let go. So memory holds
 *           only the chunks being sent, whatever the file's size.
 *
 * Then the manifest is committed. The first failure anywhere stops all of it: nothing new starts,
 * what runs is let finish (it uses the source), and the failure is thrown.
 */
import { LIMITS } from '@contract/limits';
import type { ChunkRef, Compression, StartUploadResponse } from '@contract/schemas';
import { chunkStream, type ChunkInfo, type CutChunk } from '../chunking/chunker';
import { manifestOf, type Manifest } from '../chunking/manifest';
import { throwIfCancelled, ToteError } from '../errors';
import { readPieces, PIECE_BYTES } from '../io';
import { BufferPool } from './buffer-pool';
import { ByteBudget } from './byte-budget';
import { ChunkSender } from './chunk-sender';
import { commitUpload } from './committer';
import { intendedCompression, SAMPLE_BYTES } from './compression';
import { hashProgress } from './describe';
import { TaskGroup } from './parallel';
import { DEFAULT_TRANSFER_TUNING, type TransferEnvironment } from './environment';
import { uploadDone, type UploadJob, type UploadOutcome } from './upload-job';
import { UploadUrlPool, urlRequests, type RequestUrls } from './url-pool';

/** A distinct chunk cut and not yet settled in storage. */
interface Named {
  readonly chunk: ChunkInfo;
  /** Its bytes when they came with it (cut elsewhere), until sent; else it is read again when sent. */
  bytes?: Uint8Array;
  /** What its head's sample test called for (the URL is asked for it), if it was tested. */
  readonly compression?: Compression;
  /** Counted in the budget until settled. */
  counted: boolean;
}

interface Started {
  readonly uploadId: string;
  readonly expectedRevision: number;
  readonly sender: ChunkSender;
}

/** Requests naming chunks in flight at once. */
const NAMING_IN_FLIGHT = 2;

const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export function uploadSource(env: TransferEnvironment, job: UploadJob): Promise<UploadOutcome> {
  return new UploadPipeline(env, job).run();
}

class UploadPipeline {
  private readonly remotePath: string;
  private readonly budget: ByteBudget;
  /** What chunks are read into to be sent: reused, so memory holds the bytes in flight and little besides. */
  private readonly buffers: BufferPool;
  private readonly urls: UploadUrlPool;
  private readonly requestUrls: RequestUrls;
  private readonly naming: TaskGroup;
  private readonly sends: TaskGroup;
  private readonly sessionKey = randomKey();
  /** Every chunk in file order (the manifest), and the first of each hash. */
  private readonly cut: ChunkInfo[] = [];
  private readonly distinct = new Map<string, ChunkInfo>();
  private pending: Named[] = [];
  private opening = false;
  /** The compression a known manifest's URLs are asked for (its chunks were not sampled one by one). */
  private knownCompression: Compression = 'none';
  private cutAll = false;
  private started?: Started;
  private stopped?: { error: unknown };

  constructor(
    private readonly env: TransferEnvironment,
    private readonly job: UploadJob,
  ) {
    this.remotePath = 'path' in job.target ? job.target.path : job.target.label;
    this.budget = new ByteBudget(Math.max(env.maxBufferedBytes ?? DEFAULT_TRANSFER_TUNING.maxBufferedBytes, LIMITS.chunkMaxBytes + 2 * PIECE_BYTES));
    this.buffers = new BufferPool(Math.max(env.maxSendBufferBytes ?? DEFAULT_TRANSFER_TUNING.maxSendBufferBytes, LIMITS.chunkMaxBytes));
    const stop = (error: unknown) => this.stop(error);
    this.naming = new TaskGroup(NAMING_IN_FLIGHT, stop);
    this.sends = new TaskGroup(env.concurrency, stop);
    this.requestUrls = urlRequests(env.api, () => (this.started as Started).uploadId);
    this.urls = new UploadUrlPool(this.requestUrls);
  }

  async run(): Promise<UploadOutcome> {
    const { env, job } = this;
    const cancel = () => this.stop(new ToteError('CANCELLED', 'cancelled', { subject: this.remotePath, cause: job.signal?.reason }));
    job.signal?.addEventListener('abort', cancel, { once: true });
    try {
      throwIfCancelled(job.signal);
      const manifest = job.known ? await this.nameKnown(job.known) : await this.cutAndName();
      await this.settled();
      const { uploadId, expectedRevision, sender } = this.started as Started;
      const refs: ChunkRef[] = manifest.chunks.map((c) => ({ hash: c.hash, size: c.size }));
      const file = await commitUpload({
        api: env.api,
        uploadId,
        remotePath: this.remotePath,
        expectedRevision,
        manifest: { contentHash: manifest.contentHash, chunks: refs },
        sender,
        emit: env.emit,
        patienceMs: env.commitPatienceMs,
        sleep: env.sleep,
        signal: job.signal,
      });
      await env.uploads.finish(uploadId);
      const outcome: UploadOutcome = {
        localPath: job.localPath,
        remotePath: this.remotePath,
        file,
        manifest,
        uploadId,
        bytesSent: sender.bytesSent,
        chunksSent: sender.chunksSent,
        chunksSkipped: this.distinct.size - sender.chunksSent,
      };
      env.emit(uploadDone(outcome));
      return outcome;
    } catch (error) {
      this.stop(error);
      throw error;
    } finally {
      job.signal?.removeEventListener('abort', cancel);
      // Whatever still runs uses the source, which the caller closes once this returns.
      await Promise.allSettled([this.naming.drained(), this.sends.drained()]);
    }
  }

  /** Reads the source once, naming and sending chunks as they are cut; answers its manifest. */
  private async cutAndName(): Promise<Manifest> {
    const { env, job } = this;
    const { source, localPath } = job;
    env.emit({ type: 'hash.start', localPath, size: source.size });
    const onBytes = hashProgress(env.emit, localPath, source.size);
    const cutHere = () =>
      chunkStream(readPieces(source, 0, PIECE_BYTES, (n) => this.budget.take(n), true), {
        createSha256: env.createSha256,
        params: job.params,
        headBytes: SAMPLE_BYTES,
        onBytes,
      });
    for await (const chunk of job.chunks ?? cutHere()) {
      if (this.stopped) break;
      // Chunks cut elsewhere are counted as they arrive; not taking the next one is their backpressure.
      if (job.chunks) {
        await this.budget.take(chunk.size);
        onBytes(chunk.size);
      }
      await this.take(chunk);
    }
    if (this.stopped) throw this.stopped.error;
    env.emit({ type: 'hash.done', localPath, chunks: this.cut.length, cached: false });
    const manifest = await manifestOf(this.cut);
    if (manifest.size !== source.size || !(await source.unchanged())) {
      throw new ToteError('LOCAL_CHANGED', 'file changed while it was being read; run the command again when it is complete', { subject: localPath });
    }
    await job.onManifest?.(manifest);
    this.cutAll = true;
    this.pump();
    return manifest;
  }

  /** A chunk just cut (its bytes counted in the budget): a repeat is let go (the first of its hash decides); a new one waits to be named. */
  private async take(chunk: CutChunk): Promise<void> {
    const info: ChunkInfo = { index: chunk.index, offset: chunk.offset, size: chunk.size, hash: chunk.hash };
    this.cut.push(info);
    if (this.distinct.has(info.hash)) {
      this.budget.giveBack(info.size);
      return;
    }
    this.distinct.set(info.hash, info);
    const sample = chunk.bytes ?? chunk.head;
    const compression = sample ? await intendedCompression(sample, this.env.gzip) : undefined;
    this.pending.push({ chunk: info, bytes: chunk.bytes, compression, counted: true });
    this.pump();
  }

  /** A manifest known beforehand: every chunk is named at once; those to send are read when sent. */
  private async nameKnown(known: Manifest): Promise<Manifest> {
    const { env, job } = this;
    env.emit({ type: 'hash.done', localPath: job.localPath, chunks: known.chunks.length, cached: true });
    const sample = known.size === 0 ? new Uint8Array(0) : await job.source.read(0, Math.min(SAMPLE_BYTES, known.size));
    this.knownCompression = await intendedCompression(sample, env.gzip);
    for (const chunk of known.chunks) {
      this.cut.push(chunk);
      if (this.distinct.has(chunk.hash)) continue;
      this.distinct.set(chunk.hash, chunk);
      this.pending.push({ chunk, counted: false });
    }
    this.cutAll = true;
    this.pump();
    return known;
  }

  /** Starts naming what was cut: the session's start first (once), then batches, at most NAMING_IN_FLIGHT at a time. */
  private pump(): void {
    if (this.stopped) return;
    if (!this.started) {
      if (this.opening || (this.pending.length === 0 && !this.cutAll)) return;
      this.opening = true;
      const first = this.takeBatch(LIMITS.maxChunksPerUpload);
      this.naming.add(() => this.open(first));
      return;
    }
    while (this.pending.length > 0 && this.naming.size < NAMING_IN_FLIGHT) {
      const batch = this.takeBatch(LIMITS.uploadUrlBatch);
      this.naming.add(() => this.name(batch));
    }
  }

  /** Up to `max` chunks from the front of the queue, all of the first one's compression (one URL request is signed for one). */
  private takeBatch(max: number): Named[] {
    const compression = this.urlCompression(this.pending[0]);
    let n = 0;
    while (n < this.pending.length && n < max && this.urlCompression(this.pending[n]) === compression) n++;
    return this.pending.splice(0, n);
  }

  /** The compression a chunk's URL is asked for: what its sample test called for, else what the file's start did. */
  private urlCompression(named: Named | undefined): Compression {
    return named?.compression ?? this.knownCompression;
  }

  /** Opens the session with the first chunks; refuses a target that moved past the expected revision before anything is sent. */
  private async open(batch: readonly Named[]): Promise<void> {
    const { env, job } = this;
    const compression = this.urlCompression(batch[0]);
    const body = {
      size: job.source.size,
      sessionKey: this.sessionKey,
      chunks: batch.map((n) => ({ hash: n.chunk.hash, size: n.chunk.size })),
      compression,
      ...(job.mimeType ? { mimeType: job.mimeType } : {}),
    };
    const start: StartUploadResponse =
      'path' in job.target
        ? await env.api.call('startUpload', { body: { path: job.target.path, ...body } })
        : await env.api.call('startRevisionUpload', { params: { fileId: job.target.fileId }, body });
    const current = start.existing?.revision ?? 0;
    const expectedRevision = job.expectedRevision ?? current;
    if (expectedRevision !== current) {
      throw new ToteError('REVISION_CONFLICT', `expected revision ${expectedRevision} but the current revision is ${current}`, {
        subject: this.remotePath,
        details: { currentRevision: current },
      });
    }
    const { uploadId } = start;
    await env.uploads.begin({ uploadId, endpoint: env.api.endpoint, localPath: job.localPath, remotePath: this.remotePath, size: job.source.size });
    const sender = new ChunkSender({
      fetch: env.fetch,
      uploadId,
      localPath: job.localPath,
      remotePath: this.remotePath,
      source: job.source,
      chunks: this.distinct,
      urls: this.urls,
      ledger: env.uploads,
      confirmed: await env.uploads.confirmedFor(env.api.endpoint, this.remotePath),
      emit: env.emit,
      gzip: env.gzip,
      createSha256: env.createSha256,
      concurrency: env.concurrency,
      attempts: env.attempts,
      stallFloorMs: env.stallFloorMs,
      sleep: env.sleep,
      signal: job.signal,
      buffers: this.buffers,
    });
    this.started = { uploadId, expectedRevision, sender };
    env.emit({ type: 'upload.start', localPath: job.localPath, remotePath: this.remotePath, uploadId, size: job.source.size });
    this.named(batch, start.missing, compression, start.urls);
    this.pump();
  }

  private async name(batch: readonly Named[]): Promise<void> {
    const compression = this.urlCompression(batch[0]);
    const answer = await this.requestUrls(batch.map((n) => n.chunk.hash), compression, false);
    this.named(batch, answer.missing, compression, answer.urls);
    this.pump();
  }

  /** The service answered which of `batch` it lacks: those go out (unless confirmed before), the rest are let go. */
  private named(batch: readonly Named[], missing: readonly string[], compression: Compression, urls: StartUploadResponse['urls']): void {
    const { sender } = this.started as Started;
    this.urls.add(urls, compression);
    const lacking = new Set(missing.filter((h) => !sender.confirmed.has(h)));
    this.urls.expect(batch.map((n) => n.chunk.hash).filter((h) => lacking.has(h)));
    for (const named of batch) {
      if (!lacking.has(named.chunk.hash)) {
        sender.present(named.chunk.hash);
        this.release(named);
        continue;
      }
      this.sends.add(async () => {
        try {
          await sender.send(named.chunk.hash, named.bytes, named.compression);
        } finally {
          this.release(named);
        }
      });
    }
  }

  private release(named: Named): void {
    named.bytes = undefined;
    if (!named.counted) return;
    named.counted = false;
    this.budget.giveBack(named.chunk.size);
  }

  /** Waits until every chunk was named and every send settled; throws the first failure. */
  private async settled(): Promise<void> {
    for (;;) {
      this.pump();
      const busy = [this.naming, this.sends].filter((g) => g.size > 0);
      if (this.stopped || (busy.length === 0 && this.pending.length === 0)) break;
      await Promise.race(busy.map((g) => g.settledOne()));
    }
    if (this.stopped) throw this.stopped.error;
  }

  private stop(error: unknown): void {
    this.stopped ??= { error };
    this.budget.open();
  }
}
