/**
 * What a many-file transfer reports (a folder upload, a folder download): the files that went through
 * and those that failed on their own. A failure of one file (it changed, the service refused it, a
 * local file is in the way) is recorded, reported as a warning, and the others go on; an error that
 * would fail every file (authentication, the network) is thrown.
 */
import type { BatchItemError } from '@contract/schemas';
import { isGlobalError, toToteError, ToteError, type ToteErrorCode } from '../errors';
import type { TransferEventSink } from '../events';
import type { UploadResult } from './upload-job';

export interface FileFailure {
  readonly localPath: string;
  readonly code: ToteErrorCode;
  readonly message: string;
}

export class FileOutcomes<R> {
  readonly results: R[] = [];
  readonly failed: FileFailure[] = [];

  constructor(private readonly emit: TransferEventSink) {}

  /** Runs one file's step; its own failure is recorded (undefined returned), a global one is thrown. */
  async perFile<T>(localPath: string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (thrown) {
      this.fail(localPath, thrown);
      return undefined;
    }
  }

  /** A file went through. */
  succeed(result: R): void {
    this.results.push(result);
  }

  fail(localPath: string, thrown: unknown): void {
    const error = toToteError(thrown);
    if (isGlobalError(error)) throw error;
    this.failed.push({ localPath, code: error.code, message: error.message });
    this.emit({ type: 'warning', code: error.code, message: error.message, subject: localPath });
  }
}

export class UploadOutcomes extends FileOutcomes<UploadResult> {}

/** One item's error in a batch answer, as the error its own request would have thrown. */
export const batchItemFailure = (e: BatchItemError) => new ToteError(e.code as ToteErrorCode, e.message, { details: e.details });
