/**
 * Sync's small transfers through the batch endpoints, one operation at a time as the executor sees
 * them: each upload or download is queued, goes out with the others ready at about the same time
 * (batch-queue.ts), and its operation awaits its own outcome. Uploads go through UploadBatches (POST
 * /upload-batches, then /upload-batches/commit: one batch commits while the next is hashed, started
 * and sent), each naming the revision it must replace, so a remote that moved on is that file's
 * REVISION_CONFLICT and nothing is overwritten. Downloads go through DownloadBatches (POST
 * /download-batches: every file's manifest and signed URLs), each into the staging folder.
 */
import type { DownloadResponse } from '@contract/schemas';
import { DownloadBatches, type BatchDownload } from '../core/transfer/download-batch';
import { UploadBatches, type BatchFile } from '../core/transfer/upload-batch';
import type { UploadResult } from '../core/transfer/upload-job';
import { nodeEnvironment, type TransferContext } from '../transfer/context';
import { BatchQueue, SettledOutcomes, Settlements, type BatchTiming } from './batch-queue';

/** A download into the staging folder: `label` is where it goes, and the result names it too. */
export interface StagingDownload<R extends { readonly path: string }> {
  readonly label: string;
  readonly fileId: string;
  /** Downloads the file from the first page the batch brought (its current revision). */
  run(firstPage: DownloadResponse): Promise<R>;
}

export class BatchedTransfers<R extends { readonly path: string }> {
  private uploads: UploadBatches;
  private readonly uploaded = new Settlements<UploadResult>();
  private readonly uploadQueue: BatchQueue<BatchFile>;
  private readonly downloaded = new Settlements<R>();
  private readonly downloadQueue: BatchQueue<StagingDownload<R>>;

  constructor(
    private readonly transfer: TransferContext,
    timing?: BatchTiming,
  ) {
    this.uploads = this.freshUploads();
    this.uploadQueue = new BatchQueue((batch) => this.sendUploads(batch), timing);
    this.downloadQueue = new BatchQueue((batch) => this.sendDownloads(batch), timing);
  }

  /** Uploads one file (at most BATCH_FILE_MAX_BYTES) with the batch it joins; answers its commit. */
  upload(file: BatchFile): Promise<UploadResult> {
    const outcome = this.uploaded.expect(file.localPath);
    this.uploadQueue.push(file);
    return outcome;
  }

  /** Downloads one file with the batch it joins; answers what its `run` answered. */
  download(file: StagingDownload<R>): Promise<R> {
    const outcome = this.downloaded.expect(file.label);
    this.downloadQueue.push(file);
    return outcome;
  }

  private freshUploads(): UploadBatches {
    return new UploadBatches(nodeEnvironment(this.transfer), new SettledOutcomes(this.uploaded, (r) => r.localPath));
  }

  /** Starts and sends the batch, and leaves its commit running while the next batch is prepared. */
  private async sendUploads(batch: BatchFile[]): Promise<void> {
    const keys = batch.map((f) => f.localPath);
    const batches = this.uploads;
    // After an error that concerned the whole batch (the network, the session), later ones start afresh.
    const failed = (error: unknown) => {
      if (this.uploads === batches) this.uploads = this.freshUploads();
      this.uploaded.rejectLeft(keys, error);
    };
    try {
      await batches.add(batch);
    } catch (error) {
      failed(error);
      return;
    }
    batches.finish().then(() => this.uploaded.rejectLeft(keys), failed);
  }

  /** Asks for the batch's pages and starts its transfers; they finish while the next batch is asked for. */
  private async sendDownloads(batch: StagingDownload<R>[]): Promise<void> {
    const keys = batch.map((f) => f.label);
    const batches = new DownloadBatches(nodeEnvironment(this.transfer), new SettledOutcomes(this.downloaded, (r: R) => r.path));
    const files: BatchDownload<R>[] = batch.map((f) => ({ label: f.label, ref: { fileId: f.fileId }, run: f.run }));
    const added = batches.add(files);
    // Transfers already under way end before their batch's leftovers are told what stopped it.
    const ended = added.then(
      () => batches.finish(),
      async (error: unknown) => {
        await batches.finish().catch(() => undefined);
        throw error;
      },
    );
    ended.then(
      () => this.downloaded.rejectLeft(keys),
      (error: unknown) => this.downloaded.rejectLeft(keys, error),
    );
    await added.catch(() => undefined);
  }
}
