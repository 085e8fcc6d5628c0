/**
 * Every failure the web app shows is a ToteError with a code, the same type the shared core throws
 * (client/src/core/errors.ts): the service's codes pass through unchanged, the client's own cover what
 * happens on this side. Errors are translated once where they enter (HTTP in the core, Cognito,
 * browser storage); the UI shows `message (code)`.
 */
import { isToteError, ToteError } from '../../client/src/core/errors';

export { ToteError, type ToteErrorCode } from '../../client/src/core/errors';

/** Any thrown value as a ToteError (a bug or an unforeseen failure becomes UNEXPECTED). */
export function asToteError(thrown: unknown): ToteError {
  if (isToteError(thrown)) return thrown;
  if (thrown instanceof DOMException && thrown.name === 'AbortError') return new ToteError('CANCELLED', 'cancelled', { cause: thrown });
  return new ToteError('UNEXPECTED', thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
}

/** The one line the UI shows for an error. */
export const describeError = (error: ToteError): string => `${error.message} (${error.code})`;
