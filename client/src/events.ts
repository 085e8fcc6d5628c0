/**
 * What the engines report while they work: the transfer engines' events (core/events.ts) and the
 * sync engine's. Engines never print: they emit these coded events and an output host (the CLI's
 * progress bars or JSON lines, a test's recorder, the sync daemon's status) decides what to do with them.
 */
import type { ToteErrorCode } from './core/errors';
import type { TransferEvent } from './core/events';

export type ToteEvent =
  | TransferEvent
  /** One sync pass over a folder: what it pulled from the change feed, did, and left for later. */
  | { readonly type: 'sync.pass'; readonly root: string; readonly pulled: number; readonly operations: number; readonly deferred: number; readonly durationMs: number }
  /** One sync operation done (or skipped because its file changed meanwhile: the next pass decides again). */
  | {
      readonly type: 'sync.op';
      readonly root: string;
      /** `type` and `side` of the operation (see sync/operations.ts). */
      readonly op: string;
      readonly side: 'local' | 'remote' | 'synced';
      readonly path: string;
      readonly outcome: 'done' | 'skipped';
    }
  /** Local bytes moved aside to keep both versions: `copy` is the conflicted copy (or case-conflict) name. */
  | { readonly type: 'sync.conflict'; readonly root: string; readonly path: string; readonly copy: string; readonly reason: 'conflict' | 'case-clash' }
  /** A file the sync leaves alone or warns about (symbolic link, name another system cannot hold, ...). */
  | { readonly type: 'sync.warning'; readonly root: string; readonly code: string; readonly path: string; readonly message: string }
  /** An operation failed; it is tried again after `retryInMs`. */
  | { readonly type: 'sync.error'; readonly root: string; readonly path: string; readonly code: ToteErrorCode; readonly message: string; readonly retryInMs: number }
  /** The folder's state changed: up to date, syncing `pending` files, failing, or offline. */
  | { readonly type: 'sync.status'; readonly root: string; readonly state: SyncState; readonly pending: number }
  /** Emptying the trash goes a batch per request: files purged so far, of how many there were. */
  | { readonly type: 'trash.purge'; readonly purged: number; readonly total: number }
  /** The sync daemon read the change feed: why it woke (a push hint, its poll timer, a local change...) and how many remote files changed. */
  | { readonly type: 'sync.pull'; readonly root: string; readonly reasons: readonly WakeReason[]; readonly pulled: number }
  /** The push channel's state; `retryInMs` when it will try (again) later. */
  | { readonly type: 'push.state'; readonly state: PushState; readonly retryInMs?: number; readonly reason?: string }
  /** The service said a feed this account reads moved. */
  | { readonly type: 'push.hint' };

export type EventSink = (event: ToteEvent) => void;

export type SyncState = 'up-to-date' | 'syncing' | 'error' | 'offline';

/** The push channel (push/channel.ts): trying, up, down (and retrying), not offered by the service or not signed in, stopped. */
export type PushState = 'connecting' | 'connected' | 'disconnected' | 'unavailable' | 'stopped';

/**
 * Why the sync daemon woke: its first round, a push hint, the push channel coming up or going down, a
 * poll, the first local change of a batch (`watch`: the feed is read while the batch settles), a batch
 * of local changes, a retry, the periodic full pass.
 */
export type WakeReason = 'start' | 'push' | 'push-up' | 'push-down' | 'poll' | 'watch' | 'local' | 'retry' | 'reconcile';
