/**
 * A batched request short of time answers the files it did not get to BATCH_DEFERRED (untouched): the
 * client asks for them again, in a request of their own, until none is left. The service always gets
 * something done per request, so an answer that defers every file it does not settle otherwise cannot
 * loop: one that got nothing done at all leaves its deferrals as failures like any other.
 */
import type { BatchItemError } from '@contract/schemas';
import { ToteError } from '../errors';

type BatchResult = { readonly ok: true } | { readonly ok: false; readonly error: BatchItemError };

export const isDeferred = (result: BatchResult): boolean => !result.ok && result.error.code === 'BATCH_DEFERRED';

/** Which of the `asked` items (by place) to ask for again, given the answer's `results` in the same order. */
export function toAskAgain(results: readonly BatchResult[], asked: number): ReadonlySet<number> {
  if (results.length !== asked) throw new ToteError('UNEXPECTED_RESPONSE', `the service answered ${results.length} results for a batch of ${asked} files`);
  const deferred = results.flatMap((r, i) => (isDeferred(r) ? [i] : []));
  return new Set(deferred.length < results.length ? deferred : []);
}
