/**
 * Uploads many small files with a few API round trips instead of three per file: the files are
 * described (hashed) in parallel, started with one POST /upload-batches per thousand (closed starts:
 * each declares its whole manifest), their missing chunks sent in parallel across files, and
 * committed with one POST /upload-batches/commit per thousand; files a request had no time for
 * (BATCH_DEFERRED) are asked for again (deferrals.ts). Batches overlap: one is committed
 * (waiting for the tracker) while the next is hashed, started and sent. Each file keeps the
 * guarantees of a single upload: the ledger records every confirmed chunk (a rerun resends none of
 * them), and a file whose chunks the service has not registered within the commit's patience is
 * committed on its own by the committer, which resends what never arrived. Failures are told apart
 * per file (outcomes.ts).
 */
import { LIMITS } from '@contract/limits';
import type { BatchCommitRequest, FileMetadata, StartUploadRequest, StartUploadResponse } from '@contract/schemas';
import pLimit from 'p-limit';
import type { ChunkInfo } from '../chunking/chunker';
import type { Manifest } from '../chunking/manifest';
import { throwIfCancelled, ToteError } from '../errors';
import { sleep as realSleep } from '../retry/retry';
import { ChunkSender } from './chunk-sender';
import { commitPollDelayMs, commitUpload } from './committer';
import { intendedCompression, SAMPLE_BYTES } from './compression';
import { toAskAgain } from './deferrals';
import { describeSource, type OpenedSource } from './describe';
import { DEFAULT_TRANSFER_TUNING, type TransferEnvironment } from './environment';
import { batchItemFailure, type UploadOutcomes } from './outcomes';
import { uploadDone, type UploadResult } from './upload-job';
import { isPackable, PackSender, type PackableFile, type PackedFile } from './pack-sender';
import { UploadUrlPool, urlRequests } from './url-pool';

/** Files at most this large go up in batches: at most a few chunks each, so round trips, not bytes, dominate. */
export const BATCH_FILE_MAX_BYTES = 8 * 1024 * 1024;

export interface BatchFile {
  /** Names the source in events and errors (a path, a file name). */
  readonly localPath: string;
  /** A normalized path of the caller's namespace. */
  readonly remotePath: string;
  readonly mimeType?: string;
  /**
   * The revision the path must hold when the file is committed (0: the path must be free); a commit
   * finding another is this file's REVISION_CONFLICT and replaces nothing. Absent: whatever the start
   * found there is replaced (`tote put`).
   */
  readonly expectedRevision?: number;
  /**
   * The file the path must hold (an edit of that file, with `expectedRevision`): a start finding
   * another one there, whatever its revision, is a REVISION_CONFLICT and nothing is sent.
   */
  readonly expectedFileId?: string;
  /** Opens its bytes; a batch holds a file open only while it reads it (a thousand files are never open at once). */
  open(): Promise<OpenedSource>;
}

/** A file hashed and ready to be started. */
interface Described {
  readonly file: BatchFile;
  readonly manifest: Manifest;
  /** Where each distinct chunk is in the file. */
  readonly distinct: ReadonlyMap<string, ChunkInfo>;
  readonly start: StartUploadRequest;
}

/** A file the service started: what it lacks, and (once sent) the sender that knows what happened to each chunk. */
interface Started {
  readonly described: Described;
  readonly answer: StartUploadResponse;
  readonly toSend: string[];
  readonly confirmed: ReadonlySet<string>;
  /** Set once its chunks went up (or were sent by other files of the batch); unset when it failed. */
  sender?: ChunkSender;
  /** Set instead when its one chunk went up as a blob in a pack. */
  packed?: PackedFile;
}

export class UploadBatches {
  /** The commit of the batch sent last, running while the next one is prepared and sent. */
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: TransferEnvironment,
    private readonly outcomes: UploadOutcomes,
    /** Cancels every file of the batches (CANCELLED, which stops them all). */
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Hashes, starts and sends `files` (each at most BATCH_FILE_MAX_BYTES) and leaves their commit
   * running; resolves once the commit of the previous batch is done too. {@link finish} waits for the last.
   */
  async add(files: readonly BatchFile[]): Promise<void> {
    throwIfCancelled(this.signal);
    const described = await this.describeAll(files);
    for (const group of startGroups(described)) {
      const started = await this.startAll(group);
      const packable = (this.env.packs ?? DEFAULT_TRANSFER_TUNING.packs) ? started.filter((s) => s.toSend.length === 1 && isPackable(s.described.manifest.chunks)) : [];
      await Promise.all([this.sendAll(started.filter((s) => !packable.includes(s))), this.sendPacked(packable)]);
      await this.committing;
      this.committing = this.commitAll(started.filter((s) => s.sender !== undefined || s.packed !== undefined));
      // Awaited by the next add() or by finish(); until then a failure must not count as unhandled.
      this.committing.catch(() => undefined);
    }
  }

  /** Waits for the last commit; every file's outcome is recorded then. */
  finish(): Promise<void> {
    return this.committing;
  }

  private async describeAll(files: readonly BatchFile[]): Promise<Described[]> {
    const limit = pLimit(this.env.concurrency);
    const described = await Promise.all(files.map((f) => limit(() => this.outcomes.perFile(f.localPath, () => this.describe(f)))));
    return described.filter((d): d is Described => d !== undefined);
  }

  private async describe(file: BatchFile): Promise<Described> {
    const opened = await file.open();
    try {
      const manifest = await describeSource(this.env, file.localPath, opened);
      const distinct = new Map<string, ChunkInfo>();
      for (const c of manifest.chunks) if (!distinct.has(c.hash)) distinct.set(c.hash, c);
      const sample = manifest.size === 0 ? new Uint8Array(0) : await opened.source.read(0, Math.min(SAMPLE_BYTES, manifest.size));
      const start: StartUploadRequest = {
        path: file.remotePath,
        size: manifest.size,
        contentHash: manifest.contentHash,
        chunks: manifest.chunks.map((c) => ({ hash: c.hash, size: c.size })),
        // The URLs in the answer are signed for the compression the file's first chunk calls for.
        compression: await intendedCompression(sample, this.env.gzip),
        ...(file.mimeType ? { mimeType: file.mimeType } : {}),
      };
      return { file, manifest, distinct, start };
    } finally {
      await opened.close();
    }
  }

  /** Starts `files`, asking again for those the service had no time for (deferrals.ts) until each is started or failed. */
  private async startAll(files: readonly Described[]): Promise<Started[]> {
    const started: Started[] = [];
    for (let asking = files; asking.length > 0; ) {
      throwIfCancelled(this.signal);
      const answer = await this.env.api.call('startUploadBatch', { body: { uploads: asking.map((f) => f.start) } });
      const again = toAskAgain(answer.results, asking.length);
      for (const [i, result] of answer.results.entries()) {
        const described = asking[i];
        if (again.has(i)) continue;
        if (!result.ok) {
          this.outcomes.fail(described.file.localPath, batchItemFailure(result.error));
          continue;
        }
        const stale = staleStart(described.file, result.upload);
        if (stale) {
          this.outcomes.fail(described.file.localPath, stale);
          continue;
        }
        started.push(await this.begin(described, result.upload));
      }
      asking = asking.filter((_, i) => again.has(i));
    }
    return started;
  }

  /**
   * Records the started session and reports it. Chunks confirmed by an earlier run are not sent again
   * even while the service still lists them (its tracker registers them asynchronously); the commit
   * sorts out any that never arrive.
   */
  private async begin(described: Described, answer: StartUploadResponse): Promise<Started> {
    const { env } = this;
    const { file, manifest } = described;
    const session = { uploadId: answer.uploadId, endpoint: env.api.endpoint, localPath: file.localPath, remotePath: file.remotePath, size: manifest.size };
    await env.uploads.begin(session);
    const confirmed = await env.uploads.confirmedFor(session.endpoint, session.remotePath);
    const toSend = [...new Set(answer.missing)].filter((h) => !confirmed.has(h));
    env.emit({ type: 'upload.start', localPath: file.localPath, remotePath: file.remotePath, uploadId: answer.uploadId, size: manifest.size });
    return { described, answer, toSend, confirmed };
  }

  /**
   * Sends the missing chunks across files, one file's chunks at a time per worker. Files of a batch
   * often share content (copies, boilerplate): each distinct chunk is sent by the first file that
   * needs it, and the others wait for that send instead of racing it to storage.
   */
  private async sendAll(started: readonly Started[]): Promise<void> {
    const sends = new Map<string, Promise<boolean>>();
    const limit = pLimit(this.env.concurrency);
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
            const size = s.described.distinct.get(h)?.size ?? 0;
            await this.env.uploads.confirm(s.answer.uploadId, h, size);
            this.env.emit({ type: 'upload.chunk', remotePath: s.described.file.remotePath, hash: h, bytes: size, outcome: 'present' });
          }
        }),
      ),
    );
  }

  /** Sends the one missing chunk of each of `started` as a blob in a pack (pack-sender.ts). */
  private async sendPacked(started: readonly Started[]): Promise<void> {
    if (started.length === 0) return;
    const byUpload = new Map(started.map((s) => [s.answer.uploadId, s]));
    const files: PackableFile[] = started.map((s) => ({
      uploadId: s.answer.uploadId,
      localPath: s.described.file.localPath,
      remotePath: s.described.file.remotePath,
      chunk: s.described.manifest.chunks[0],
      read: async () => {
        const opened = await s.described.file.open();
        try {
          return await opened.source.read(0, s.described.manifest.size);
        } finally {
          await opened.close();
        }
      },
    }));
    const placed = await new PackSender(this.env).sendAll(files, (f, error) => this.outcomes.fail(f.localPath, error));
    for (const [uploadId, packed] of placed) byUpload.get(uploadId)!.packed = packed;
  }

  /** Sends `hashes` of one file; false when the file failed (its failure is recorded). */
  private async sendFile(s: Started, hashes: readonly string[]): Promise<boolean> {
    s.sender = await this.outcomes.perFile(s.described.file.localPath, () =>
      this.withSender(s, 1, async (sender) => {
        await sender.sendAll(hashes);
        return sender;
      }),
    );
    return s.sender !== undefined;
  }

  /** Runs `work` with a sender for the file, open only meanwhile. */
  private async withSender<T>(s: Started, concurrency: number, work: (sender: ChunkSender) => Promise<T>): Promise<T> {
    const { env } = this;
    const { file, distinct } = s.described;
    const opened = await file.open();
    try {
      const urls = new UploadUrlPool(urlRequests(env.api, () => s.answer.uploadId));
      urls.add(s.answer.urls, s.described.start.compression ?? 'none');
      urls.expect(s.toSend);
      const sender = new ChunkSender({
        ...env,
        uploadId: s.answer.uploadId,
        localPath: file.localPath,
        remotePath: file.remotePath,
        source: opened.source,
        chunks: distinct,
        urls,
        ledger: env.uploads,
        confirmed: s.confirmed,
        concurrency,
        signal: this.signal,
      });
      if (s.sender) sender.adopt(s.sender);
      return await work(sender);
    } finally {
      await opened.close();
    }
  }

  /**
   * Commits in batches, asking again for files whose chunks the tracker has not registered yet,
   * with growing pauses; what is still missing after the patience is committed file by file.
   */
  private async commitAll(started: readonly Started[]): Promise<void> {
    const { env } = this;
    const sleep = env.sleep ?? realSleep;
    let waiting = [...started];
    const resend: Started[] = [];
    // Patience runs out only once a while passes with no file of the batch committed: a big batch's
    // commits take the service many seconds of their own, which is not the tracker keeping anyone waiting.
    let progressAt = Date.now();
    // Files the service had no time for are asked for again at once, patience or not: they are not waiting for the tracker.
    let deferred = false;
    // The pauses grow while chunks are missing (the tracker is at work on them); a deferred file's ask needs none.
    let pauses = 0;
    for (let asked = false; waiting.length > 0 && (deferred || Date.now() - progressAt < env.commitPatienceMs); asked = true) {
      if (asked && !deferred) await sleep(commitPollDelayMs(pauses++));
      throwIfCancelled(this.signal);
      const answer = await env.api.call('commitUploadBatch', { body: { commits: waiting.map(commitOf) } });
      const again = toAskAgain(answer.results, waiting.length);
      const left: Started[] = [];
      for (const [i, result] of answer.results.entries()) {
        const s = waiting[i];
        if (result.ok) await this.done(s, result.file);
        else if (again.has(i) || result.error.code === 'CHUNKS_MISSING') left.push(s);
        // Its pack was damaged on the way and refused whole: the file goes up again on its own, below.
        else if (result.error.code === 'PACK_REJECTED') resend.push(s);
        else this.outcomes.fail(s.described.file.localPath, batchItemFailure(result.error));
      }
      deferred = again.size > 0;
      if (left.length < waiting.length) progressAt = Date.now();
      waiting = left;
    }
    for (const s of [...resend, ...waiting]) {
      await this.outcomes.perFile(s.described.file.localPath, () =>
        this.withSender(s, env.concurrency, async (sender) => {
          s.sender = sender;
          const committed = await commitUpload({
            api: env.api,
            uploadId: s.answer.uploadId,
            remotePath: s.described.file.remotePath,
            expectedRevision: revisionToReplace(s),
            sender,
            emit: env.emit,
            patienceMs: env.commitPatienceMs,
            sleep: env.sleep,
            signal: this.signal,
          });
          await this.done(s, committed);
        }),
      );
    }
  }

  /** The file is committed: its session is forgotten and its outcome reported. */
  private async done(s: Started, committed: FileMetadata): Promise<void> {
    const { file, distinct } = s.described;
    await this.env.uploads.finish(s.answer.uploadId);
    const chunksSent = s.sender?.chunksSent ?? (s.packed && s.packed.bytesSent > 0 ? 1 : 0);
    const result: UploadResult = {
      localPath: file.localPath,
      remotePath: file.remotePath,
      file: committed,
      bytesSent: s.sender?.bytesSent ?? s.packed?.bytesSent ?? 0,
      chunksSent,
      chunksSkipped: distinct.size - chunksSent,
    };
    this.outcomes.succeed(result);
    this.env.emit(uploadDone(result));
  }
}

/** The revision a file's commit names: the one it must replace, else the one its start found at the path. */
const revisionToReplace = (s: Started): number => s.described.file.expectedRevision ?? s.answer.existing?.revision ?? 0;

/**
 * A file's place in a batch commit. It names the file it replaces as well as the revision (the one it
 * must replace, else the one its start found), so another file that took the path meanwhile, even at
 * the same revision number, is a REVISION_CONFLICT and is not replaced.
 */
function commitOf(s: Started): BatchCommitRequest['commits'][number] {
  const expectedFileId = s.described.file.expectedRevision === undefined ? s.answer.existing?.fileId : s.described.file.expectedFileId;
  return {
    uploadId: s.answer.uploadId,
    expectedRevision: revisionToReplace(s),
    ...(expectedFileId === undefined ? {} : { expectedFileId }),
    ...(s.packed ? { pack: s.packed.pack } : {}),
  };
}

/** Why a file's start already shows its commit would be refused: the path holds another file or revision than it must replace. */
function staleStart(file: BatchFile, answer: StartUploadResponse): ToteError | undefined {
  if (file.expectedRevision === undefined) return undefined;
  const current = answer.existing?.revision ?? 0;
  const sameFile = file.expectedFileId === undefined || answer.existing?.fileId === file.expectedFileId;
  if (current === file.expectedRevision && sameFile) return undefined;
  return new ToteError('REVISION_CONFLICT', `${file.remotePath} is not the revision it was to replace`, {
    subject: file.remotePath,
    details: { expectedRevision: file.expectedRevision, currentRevision: current },
  });
}

/** Start requests within the service's limits: at most LIMITS.batchMaxFiles files and LIMITS.batchMaxChunks chunks each. */
function startGroups(files: readonly Described[]): Described[][] {
  const groups: Described[][] = [];
  let group: Described[] = [];
  let chunks = 0;
  for (const f of files) {
    const n = f.manifest.chunks.length;
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
