/** What the Node client's transfers share: the API, the local state, where events go, and tuning; and the core's environment made of them. */
import type { ApiClient } from '../core/api/client';
import type { Fetch } from '../core/api/http';
import type { TransferEnvironment } from '../core/transfer/environment';
import type { EventSink } from '../events';
import { nodeSha256 } from '../hashing/sha256';
import type { StateStore } from '../state/store';
import { withStreamedBodies } from './node-fetch';
import { nodeGzip } from './node-gzip';

export interface TransferContext {
  readonly api: ApiClient;
  readonly state: StateStore;
  readonly emit: EventSink;
  /** For chunk bytes to and from storage (the API client has its own). */
  readonly fetch: Fetch;
  /** Chunk transfers in flight at once. */
  readonly concurrency: number;
  /** Tries per chunk transfer for transient failures, the first included. */
  readonly attempts: number;
  /** How long a commit waits for sent chunks to be registered (twice: before and after a resend). */
  readonly commitPatienceMs: number;
  readonly stallFloorMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether small files' content goes up in packs (default DEFAULT_TRANSFER_TUNING.packs). */
  readonly packs?: boolean;
}

/** The core engines' environment in Node: OpenSSL's SHA-256, zlib's gzip, the SQLite upload ledger, chunk bodies sent uncopied. */
export function nodeEnvironment(ctx: TransferContext): TransferEnvironment {
  return { ...ctx, fetch: withStreamedBodies(ctx.fetch), createSha256: nodeSha256, gzip: nodeGzip, uploads: ctx.state.uploads };
}
