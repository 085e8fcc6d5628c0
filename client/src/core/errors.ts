/**
 * Every failure the client reports is a ToteError with a code: the service's codes pass through
 * unchanged, the client adds its own. Errors are translated once, where they enter the client (HTTP,
 * Cognito, the file system); everything above branches on `code`, never on messages or classes.
 */
import type { ErrorCode } from '@contract/errors';

export type ClientErrorCode =
  /** The service or storage could not be reached, or the connection broke or stalled. */
  | 'NETWORK'
  /** 429 from the API or storage. */
  | 'THROTTLED'
  /** A 5xx without the contract's error body (gateway, storage, emulator). */
  | 'UNAVAILABLE'
  /** An answer that does not match the contract. */
  | 'UNEXPECTED_RESPONSE'
  | 'NOT_LOGGED_IN'
  | 'AUTH_FAILED'
  | 'USER_EXISTS'
  | 'USER_NOT_CONFIRMED'
  | 'INVALID_CODE'
  | 'INVALID_PASSWORD'
  /** A presigned or signed URL was refused (expired or not valid any more): ask for a new one. */
  | 'URL_REJECTED'
  /** Storage refused a transfer for a reason retrying will not fix. */
  | 'TRANSFER_FAILED'
  /** Downloaded bytes do not match their hash. */
  | 'CHUNK_CORRUPT'
  /** Chunks were sent but the service never registered them. */
  | 'UPLOAD_INCOMPLETE'
  | 'LOCAL_NOT_FOUND'
  | 'LOCAL_EXISTS'
  /** A local file changed while it was being read. */
  | 'LOCAL_CHANGED'
  | 'LOCAL_IO'
  | 'USAGE'
  /** Stopped by Ctrl-C. */
  | 'INTERRUPTED'
  /** A command that takes a file was given a folder. */
  | 'IS_A_FOLDER'
  /** The transfer was cancelled by whoever started it (its AbortSignal). */
  | 'CANCELLED'
  /** A failure with no better code: an unforeseen system error or a bug. */
  | 'UNEXPECTED';

export type ToteErrorCode = ErrorCode | ClientErrorCode;

export interface ToteErrorOptions {
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status?: number;
  readonly details?: Record<string, unknown>;
  /** What the error is about (a remote or local path), for the one-line report. */
  readonly subject?: string;
  readonly cause?: unknown;
}

export class ToteError extends Error {
  /** Brand checked by isToteError: `instanceof` breaks when two copies of this module are loaded. */
  readonly toteError = true as const;
  readonly status?: number;
  readonly details?: Record<string, unknown>;
  readonly subject?: string;

  constructor(
    readonly code: ToteErrorCode,
    message: string,
    options: ToteErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToteError';
    this.status = options.status;
    this.details = options.details;
    this.subject = options.subject;
  }

  /** Where the error came from: an HTTP answer, no answer at all, or the client itself. */
  get kind(): 'api' | 'network' | 'client' {
    return 'client';
  }

  /** The same error, about `subject` (kept when one is already set: the innermost is the most precise). */
  about(subject: string): ToteError {
    if (this.subject !== undefined) return this;
    const copy = Object.create(Object.getPrototypeOf(this) as object) as ToteError;
    return Object.assign(copy, this, { subject, message: this.message, stack: this.stack });
  }
}

/** The API or storage answered with an error status (and, from the API, the contract's error body). */
export class ApiError extends ToteError {
  declare readonly status: number;

  constructor(code: ToteErrorCode, message: string, status: number, details?: Record<string, unknown>) {
    super(code, message, { status, details });
    this.name = 'ApiError';
  }

  override get kind(): 'api' {
    return 'api';
  }
}

/** No usable answer: refused, reset, stalled or timed out. Always code NETWORK. */
export class NetworkError extends ToteError {
  constructor(message: string, cause: unknown) {
    super('NETWORK', message, { cause });
    this.name = 'NetworkError';
  }

  override get kind(): 'network' {
    return 'network';
  }
}

export function isToteError(value: unknown): value is ToteError {
  return typeof value === 'object' && value !== null && (value as ToteError).toteError === true;
}

export const isApiError = (value: unknown): value is ApiError => isToteError(value) && value.kind === 'api';

export function hasCode(value: unknown, code: ToteErrorCode): value is ToteError {
  return isToteError(value) && value.code === code;
}

/** Any thrown value as a ToteError; unknown failures keep their message under `fallback`. */
/** Throws CANCELLED once `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ToteError('CANCELLED', 'cancelled', { cause: signal.reason });
}

export function toToteError(value: unknown, fallback: ToteErrorCode = 'UNEXPECTED'): ToteError {
  if (isToteError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ToteError(fallback, message, { cause: value });
}

/**
 * Errors that concern the whole session rather than one file: a batch (a folder upload, later the
 * sync loop) stops on these instead of moving on to the next file.
 */
const GLOBAL_CODES: ReadonlySet<ToteErrorCode> = new Set<ToteErrorCode>(['NOT_LOGGED_IN', 'AUTH_FAILED', 'UNAUTHORIZED', 'NETWORK', 'CANCELLED']);

export const isGlobalError = (error: ToteError): boolean => GLOBAL_CODES.has(error.code);
