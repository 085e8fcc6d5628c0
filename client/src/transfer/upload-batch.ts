/**
 * Uploads many small files with a few API round trips instead of three per file: the files are
 * described (hashed) in parallel, started with one POST /upload-batches per thousand, their missing
 * chunks sent in parallel across files, and committed with one POST /upload-batches/commit per
 * thousand. Batches overlap: one is committed (waiting for the tracker) while the next is hashed,
 * started and sent. Each file keeps the guarantees of a single upload: the ledger records every confirmed
 * chunk (a rerun resends none of them), and a file whose chunks the service has not registered
 * within the commit's patience is committed on its own by the committer, which resends what never
 * arrived. Failures are told apart per file (outcomes.ts).
 */
import { LIMITS } from '@contract/limits';
import type { BatchItemError, FileMetadata, StartUploadResponse } from '@contract/schemas';
import { open } from 'node:fs/promises';
import pLimit from 'p-limit';
import { ToteError, type ToteErrorCode } from '../core/errors';
import { onDisk } from '../localfs/errors';
import { sleep as realSleep } from '../core/retry/retry';
import type { ChunkSender } from '../core/transfer/chunk-sender';
import { commitPollDelayMs } from '../core/transfer/committer';
import type { TransferContext } from './context';
import type { UploadOutcomes } from './outcomes';
import { beginUpload, chunkSender, commitOne, describeFile, finishUpload, type DescribedFile } from './upload';

/** Files at most this large go up in batches: at most a few chunks each, so round trips, not bytes, dominate. */
export const BATCH_FILE_MAX_BYTES = 8 * 1024 * 1024;

export interface BatchFile {
  readonly localPath: string;
  readonly remotePath: string;
}

/** A file the service started: what it lacks, and (once sent) the sender that knows what happened to each chunk. */
interface Started {
  readonly file: DescribedFile;
  readonly start: StartUploadResponse;
  readonly toSend: string[];
  /** Set once its chunks went up (or were sent by other files of the batch); unset when it failed. */
  sender?: ChunkSender;
}

const itemError = (e: BatchItemError) => new ToteError(e.code as ToteErrorCode, e.message, { details: e.details });

export class UploadBatches {
  /** The commit of the batch sent last, running while the next one is prepared and sent. */
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: TransferContext,
    private readonly outcomes: UploadOutcomes,
  ) {}

  /**
   * Hashes, starts and sends `files` (each at most BATCH_FILE_MAX_BYTES) and leaves their commit
   * running; resolves once the commit of the previous batch is done too. {@link finish} waits for the last.
   */
  async add(files: readonly BatchFile[]): Promise<void> {
    const described = await this.describeAll(files);
    for (const group of startGroups(described)) {
      const started = await this.startAll(group);
      await this.sendAll(started);
      await this.committing;
      this.committing = this.commitAll(started.filter((s) => s.sender !== undefined));
      // Awaited by the next add() or by finish(); until then a failure must not count as unhandled.
      this.committing.catch(() => undefined);
    }
  }

  /** Waits for the last commit; every file's outcome is recorded then. */
  finish(): Promise<void> {
    return this.committing;
  }

  private async describeAll(files: readonly BatchFile[]): Promise<DescribedFile[]> {
    const limit = pLimit(this.ctx.concurrency);
    const described = await Promise.all(
      files.map((f) =>
        limit(() =>
          this.outcomes.perFile(f.localPath, async () => {
            const handle = await onDisk(f.localPath, () => open(f.localPath, 'r'));
            try {
              return await describeFile(this.ctx, f.localPath, f.remotePath, handle);
            } finally {
              await handle.close();
            }
          }),
        ),
      ),
    );
    return described.filter((d): d is DescribedFile => d !== undefined);
  }

  private async startAll(files: readonly DescribedFile[]): Promise<Started[]> {
    const answer = await this.ctx.api.call('startUploadBatch', {
      body: { uploads: files.map((f) => ({ path: f.remotePath, ...f.content })) },
    });
    const started: Started[] = [];
    answer.results.forEach((result, i) => {
      const file = files[i];
      if (!result.ok) return this.outcomes.fail(file.localPath, itemError(result.error));
      started.push({ file, start: result.upload, toSend: beginUpload(this.ctx, file, result.upload) });
    });
    return started;
  }

  /**
   * Sends the missing chunks across files, one file's chunks at a time per worker. Files of a batch
   * often share content (copies, boilerplate): each distinct chunk is sent by the first file that
   * needs it, and the others wait for that send instead of racing it to storage.
   */
  private async sendAll(started: readonly Started[]): Promise<void> {
    const sends = new Map<string, Promise<boolean>>();
    const limit = pLimit(this.ctx.concurrency);
    await Promise.all(
      started.map((s) =>
        limit(async () => {
          const own = s.toSend.filter((h) => !sends.has(h));
          const borrowed = s.toSend.filter((h) => sends.has(h));
          const mine = this.sendFile(s, own);
          for (const h of own) sends.set(h, mine);
          await mine;
          for (const h of borrowed) {
            // Storage holds it now: recorded for this session too, so a rerun does not send it again.
            // A chunk another file failed to send is missing at commit, and the committer sends it then.
            if (!(await sends.get(h))) continue;
            const size = s.file.distinct.get(h)?.size ?? 0;
            this.ctx.state.uploads.confirm(s.start.uploadId, h, size);
            this.ctx.emit({ type: 'upload.chunk', remotePath: s.file.remotePath, hash: h, bytes: size, outcome: 'present' });
          }
        }),
      ),
    );
  }

  /** Sends `hashes` of one file; false when the file failed (its failure is recorded). */
  private async sendFile(s: Started, hashes: readonly string[]): Promise<boolean> {
    s.sender = await this.outcomes.perFile(s.file.localPath, () => this.withSender(s, 1, async (sender) => {
      await sender.sendAll(hashes);
      return sender;
    }));
    return s.sender !== undefined;
  }

  /** Runs `work` with a sender for the file, open only meanwhile (a batch must not hold a thousand files open). */
  private async withSender<T>(s: Started, concurrency: number, work: (sender: ChunkSender) => Promise<T>): Promise<T> {
    const handle = await onDisk(s.file.localPath, () => open(s.file.localPath, 'r'));
    try {
      const sender = chunkSender(this.ctx, s.file, s.start, s.toSend, handle, concurrency);
      if (s.sender) sender.adopt(s.sender);
      return await work(sender);
    } finally {
      await handle.close();
    }
  }

  /**
   * Commits in batches, asking again for files whose chunks the tracker has not registered yet,
   * with growing pauses; what is still missing after the patience is committed file by file.
   */
  private async commitAll(started: readonly Started[]): Promise<void> {
    const sleep = this.ctx.sleep ?? realSleep;
    let waiting = [...started];
    const began = Date.now();
    for (let polls = 0; waiting.length > 0 && Date.now() - began < this.ctx.commitPatienceMs; polls++) {
      if (polls > 0) await sleep(commitPollDelayMs(polls - 1));
      const answer = await this.ctx.api.call('commitUploadBatch', {
        body: { commits: waiting.map((s) => ({ uploadId: s.start.uploadId, expectedRevision: s.start.existing?.revision ?? 0 })) },
      });
      const missing: Started[] = [];
      answer.results.forEach((result, i) => {
        const s = waiting[i];
        if (result.ok) this.done(s, result.file);
        else if (result.error.code === 'CHUNKS_MISSING') missing.push(s);
        else this.outcomes.fail(s.file.localPath, itemError(result.error));
      });
      waiting = missing;
    }
    for (const s of waiting) {
      await this.outcomes.perFile(s.file.localPath, () =>
        this.withSender(s, this.ctx.concurrency, async (sender) => this.done({ ...s, sender }, await commitOne(this.ctx, s.file, s.start, sender))),
      );
    }
  }

  private done(s: Started, committed: FileMetadata): void {
    this.outcomes.results.push(finishUpload(this.ctx, s.file, s.start.uploadId, committed, s.sender));
  }
}

/** Start requests within the service's limits: at most LIMITS.batchMaxFiles files and LIMITS.batchMaxChunks chunks each. */
function startGroups(files: readonly DescribedFile[]): DescribedFile[][] {
  const groups: DescribedFile[][] = [];
  let group: DescribedFile[] = [];
  let chunks = 0;
  for (const f of files) {
    const n = f.content.chunks.length;
    if (group.length > 0 && (group.length >= LIMITS.batchMaxFiles || chunks + n > LIMITS.batchMaxChunks)) {
      groups.push(group);
      group = [];
      chunks = 0;
    }
    group.push(f);
    chunks += n;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
