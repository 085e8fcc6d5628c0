/**
 * Typed API errors. Domain code throws these; the error-handler middleware turns them into
 * `{ error: { code, message, details? } }` with the status the contract assigns to the code.
 */
import { ERROR_STATUS, type ErrorCode } from '@contract/errors';

export class ApiError extends Error {
  /** Brand checked by {@link isApiError}: codes, not `instanceof`, survive bundling and realms. */
  readonly isApiError = true as const;
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && (value as ApiError).isApiError === true;
}

export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new ApiError('VALIDATION_FAILED', message, details);
export const invalidPath = (message: string) => new ApiError('INVALID_PATH', message);
export const invalidCursor = () => new ApiError('INVALID_CURSOR', 'cursor is not one this listing handed out');
export const cursorReset = () =>
  new ApiError('CURSOR_RESET', 'the changes after this cursor are no longer kept: list the folders again and continue from a new cursor');
export const unauthorized = () => new ApiError('UNAUTHORIZED', 'a valid access token is required');
export const accountDeleted = () => new ApiError('ACCOUNT_DELETED', 'this account no longer exists');
export const accountDisabled = () => new ApiError('ACCOUNT_DISABLED', 'this account is disabled');
export const notFound = (message = 'no such file') => new ApiError('NOT_FOUND', message);
export const batchDeferred = () => new ApiError('BATCH_DEFERRED', 'the batch ran short of time before this item; ask for it again');
export const uploadNotFound = (uploadId: string) => new ApiError('UPLOAD_NOT_FOUND', `no upload ${uploadId}`);
export const pathConflict = (message: string, path: string) => new ApiError('PATH_CONFLICT', message, { path });
export const revisionConflict = (expected: number, current: number, fileId?: string) =>
  new ApiError('REVISION_CONFLICT', `expected revision ${expected} but the current revision is ${current}`, {
    currentRevision: current,
    ...(fileId === undefined ? {} : { fileId }),
  });
/** The path holds another file than the one the commit was to revise (it was replaced meanwhile), whatever its revision. */
export const otherFileConflict = (expectedFileId: string, current: { readonly fileId: string; readonly revision: number } | null) =>
  new ApiError('REVISION_CONFLICT', `expected file ${expectedFileId} but the path holds ${current === null ? 'none' : `file ${current.fileId}`}`, {
    currentRevision: current?.revision ?? 0,
    expectedFileId,
    ...(current === null ? {} : { fileId: current.fileId }),
  });
export const chunksMissing = (missing: string[], total: number) =>
  new ApiError('CHUNKS_MISSING', `${total} chunk(s) of this upload are not stored yet`, { missing, missingCount: total });
export const packRejected = (pack: string, reason: string) =>
  new ApiError('PACK_REJECTED', `the pack that carried this upload's content was rejected (${reason}): send the content again`, { pack, reason });
export const folderBusy = (path: string) =>
  new ApiError('FOLDER_BUSY', `${path} is being moved or deleted; try again when that has finished`, { path });
export const moveIntoItself = (from: string, to: string) => new ApiError('MOVE_INTO_ITSELF', `cannot move ${from} into ${to}, which is inside it`, { path: from, toPath: to });
export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);
export const tryAgain = (message: string) => new ApiError('TRY_AGAIN', message);
export const contentHashMismatch = (declared: string, expected: string) =>
  new ApiError('CONTENT_HASH_MISMATCH', `contentHash ${declared} is not the content hash of the listed chunks (SHA-256 over their digests in order: ${expected})`, {
    field: 'body.contentHash',
    expected,
  });
export const chunkSizeConflict = (hash: string, sizes: number[]) =>
  new ApiError('CHUNK_SIZE_CONFLICT', `chunk ${hash} is listed at ${sizes.length} sizes (${sizes.join(', ')}); one hash has one size`, {
    field: 'body.chunks',
    hash,
    sizes,
  });
