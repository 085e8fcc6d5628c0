/** What the transfer engines share: the API, the local state, where events go, and tuning. */
import type { ApiClient } from '../core/api/client';
import type { Fetch } from '../core/api/http';
import type { EventSink } from '../events';
import type { StateStore } from '../state/store';

export interface TransferContext {
  readonly api: ApiClient;
  readonly state: StateStore;
  readonly emit: EventSink;
  /** For chunk bytes to and from storage (the API client has its own). */
  readonly fetch: Fetch;
  /** Chunk transfers in flight at once; also the bound on chunk buffers in memory. */
  readonly concurrency: number;
  /** Tries per chunk transfer for transient failures, the first included. */
  readonly attempts: number;
  /** How long a commit waits for sent chunks to be registered (twice: before and after a resend). */
  readonly commitPatienceMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_TRANSFER_TUNING = {
  concurrency: 8,
  attempts: 8,
  commitPatienceMs: 30_000,
} as const;
