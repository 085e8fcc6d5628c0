/**
 * Error codes the API answers with. The body is always `{ error: { code, message, details? } }`;
 * clients branch on `code`, people read `message`.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_PATH: 400,
  INVALID_CURSOR: 400,
  /** An upload's declared contentHash is not contentHashOf(its chunk hashes); details.expected is what the chunks give. */
  CONTENT_HASH_MISMATCH: 400,
  /** One chunk hash listed at two sizes in one upload (a hash has one size); details.hash and details.sizes name it. */
  CHUNK_SIZE_CONFLICT: 400,
  UNAUTHORIZED: 401,
  /** The token is genuine but its account has been deleted from the user pool. */
  ACCOUNT_DELETED: 401,
  /** The token is genuine but its account is disabled in the user pool. */
  ACCOUNT_DISABLED: 403,
  /** The caller may see the file (a share) but its role does not allow this action. */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UPLOAD_NOT_FOUND: 404,
  /**
   * Chunks of the upload that storage does not hold (never sent, or wrong bytes the tracker deleted):
   * details.missing lists them (the first thousand), details.missingCount counts them. Chunks stored but
   * not registered yet are no error: the commit answers 202 pending (schemas.ts CommitPending).
   */
  CHUNKS_MISSING: 409,
  REVISION_CONFLICT: 409,
  /** A folder (details.path) is being moved or deleted by an earlier request that has not finished: try again shortly. */
  FOLDER_BUSY: 409,
  /** A folder cannot be moved into itself or one of its own folders. */
  MOVE_INTO_ITSELF: 400,
  PATH_CONFLICT: 409,
  /**
   * A change-feed cursor older than the journal's retention (LIMITS.journalRetentionSeconds): the
   * entries after it are gone, so the client lists the folders again and continues from a new cursor.
   */
  CURSOR_RESET: 410,
  PAYLOAD_TOO_LARGE: 413,
  /**
   * The pack that carried this upload's blobs failed the tracker's check (a damaged blob, a bad index)
   * and was deleted whole: none of its blobs was registered. details.pack and details.reason name it.
   * Send the content again.
   */
  PACK_REJECTED: 422,
  /**
   * Only ever a batch item's answer: the request ran short of time before reaching this item, which is
   * otherwise fine. Ask for it again (the client does, in a later batch).
   */
  BATCH_DEFERRED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  /** A moment's contention with the chunk collector (it is deleting exactly what the request needs): send it again. */
  TRY_AGAIN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  const e = (value as ErrorBody | null)?.error;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
}
