/** Exponential backoff with full jitter, for retrying DynamoDB throttling and contention. */
const BASE_MS = 25;
const CAP_MS = 1_000;

export function backoffDelayMs(attempt: number): number {
  return Math.random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
