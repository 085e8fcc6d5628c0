/**
 * What a many-file upload reports: the files that went up and those that failed on their own. A
 * failure of one file (it changed, the service refused it) is recorded, reported as a warning, and
 * the others go on; an error that would fail every file (authentication, the network) is thrown.
 */
import { isGlobalError, toToteError, type ToteErrorCode } from '../errors';
import type { TransferEventSink } from '../events';
import type { UploadResult } from './upload-job';

export interface FileFailure {
  readonly localPath: string;
  readonly code: ToteErrorCode;
  readonly message: string;
}

export class UploadOutcomes {
  readonly results: UploadResult[] = [];
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

  fail(localPath: string, thrown: unknown): void {
    const error = toToteError(thrown);
    if (isGlobalError(error)) throw error;
    this.failed.push({ localPath, code: error.code, message: error.message });
    this.emit({ type: 'warning', code: error.code, message: error.message, subject: localPath });
  }
}
