/**
 * Every failure the web app shows is a WebError with a code: the service's codes pass through
 * unchanged (contract/errors.ts), the app adds its own for what happens in the browser. Errors are
 * translated once where they enter (HTTP, Cognito, storage); the UI shows `message (code)`.
 */
import type { ErrorCode } from '@contract/errors';

export type WebErrorCode =
  | ErrorCode
  | 'NETWORK'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNEXPECTED_RESPONSE'
  | 'NOT_SIGNED_IN'
  | 'AUTH_FAILED'
  | 'USER_EXISTS'
  | 'USER_NOT_CONFIRMED'
  | 'INVALID_CODE'
  | 'INVALID_PASSWORD'
  | 'URL_REJECTED'
  | 'TRANSFER_FAILED'
  | 'CHUNK_CORRUPT'
  | 'CONTENT_MISMATCH'
  | 'UPLOAD_INCOMPLETE'
  | 'LOCAL_IO'
  | 'CANCELLED'
  | 'UNEXPECTED';

export class WebError extends Error {
  /** Brand checked by isWebError (a worker's errors arrive as plain objects). */
  readonly webError = true as const;
  constructor(
    readonly code: WebErrorCode,
    message: string,
    readonly status?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'WebError';
  }
}

export function isWebError(value: unknown): value is WebError {
  return typeof value === 'object' && value !== null && (value as WebError).webError === true;
}

/** Any thrown value as a WebError (a bug or an unforeseen failure becomes UNEXPECTED). */
export function asWebError(thrown: unknown): WebError {
  if (isWebError(thrown)) return thrown;
  if (thrown instanceof DOMException && thrown.name === 'AbortError') return new WebError('CANCELLED', 'cancelled');
  return new WebError('UNEXPECTED', thrown instanceof Error ? thrown.message : String(thrown));
}

/** A code for an HTTP failure that did not carry the contract's error body. */
export function codeForStatus(status: number): WebErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'THROTTLED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'UNEXPECTED_RESPONSE';
}

/** The one line the UI shows for an error. */
export const describeError = (error: WebError): string => `${error.message} (${error.code})`;
