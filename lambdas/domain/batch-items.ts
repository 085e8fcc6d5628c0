/**
 * One answer per item of a batched request. An item refused for a reason of its own (a typed API
 * error: conflict, validation, missing chunks) answers that error in its place and the others go on;
 * anything else is a fault of the service and fails the whole request, as it would a single one.
 */
import type { BatchItemError } from '@contract/schemas';
import { isApiError, type ApiError } from '@shared/errors';

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BatchItemError };

export function itemError(error: ApiError): BatchItemError {
  return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
}

/** Runs `work`; an API error becomes the item's answer, anything else is thrown on. */
export async function settle<T>(work: () => T | Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isApiError(error)) return { ok: false, error: itemError(error) };
    throw error;
  }
}
