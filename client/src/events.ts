/**
 * What the engines report while they work. Engines never print: they emit these coded events and
 * an output host (the CLI's progress bars or JSON lines, a test's recorder, later the sync daemon's
 * status) decides what to do with them.
 */
import type { ToteErrorCode } from './errors';

export type ToteEvent =
  /** Pass 1 of an upload: reading the file to cut and hash its chunks. */
  | { readonly type: 'hash.start'; readonly localPath: string; readonly size: number }
  | { readonly type: 'hash.progress'; readonly localPath: string; readonly bytes: number; readonly size: number }
  /** `cached`: the file was unchanged since last hashed, so it was not read again. */
  | { readonly type: 'hash.done'; readonly localPath: string; readonly chunks: number; readonly cached: boolean }
  | {
      readonly type: 'upload.start';
      readonly localPath: string;
      readonly remotePath: string;
      readonly uploadId: string;
      readonly size: number;
      /** Distinct chunks in the file, and how many of them (and their bytes) will travel. */
      readonly chunks: number;
      readonly chunksToSend: number;
      readonly bytesToSend: number;
    }
  /** One chunk done: `sent` travelled now; `present` storage already had it (412 or no longer missing). */
  | { readonly type: 'upload.chunk'; readonly remotePath: string; readonly hash: string; readonly bytes: number; readonly outcome: 'sent' | 'present' }
  /** Commit is waiting for the service to register chunks that were sent. */
  | { readonly type: 'upload.waiting'; readonly remotePath: string; readonly missing: number; readonly waitedMs: number }
  | {
      readonly type: 'upload.done';
      readonly localPath: string;
      readonly remotePath: string;
      readonly fileId: string;
      readonly revision: number;
      readonly size: number;
      readonly bytesSent: number;
      readonly chunksSent: number;
      readonly chunksSkipped: number;
    }
  | {
      readonly type: 'download.start';
      readonly remotePath: string;
      readonly localPath: string;
      readonly fileId: string;
      readonly revision: number;
      readonly size: number;
      readonly chunks: number;
    }
  /** One chunk in place: fetched over the `network`, copied from a `local` file, or kept from a `resumed` run. */
  | { readonly type: 'download.chunk'; readonly remotePath: string; readonly index: number; readonly bytes: number; readonly source: 'network' | 'local' | 'resumed' }
  | {
      readonly type: 'download.done';
      readonly remotePath: string;
      readonly localPath: string;
      readonly size: number;
      readonly bytesReceived: number;
      readonly chunksFetched: number;
      readonly chunksReused: number;
    }
  /** A transient failure; the operation is tried again after `delayMs`. */
  | { readonly type: 'retry'; readonly operation: string; readonly code: ToteErrorCode; readonly message: string; readonly attempt: number; readonly delayMs: number }
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
  /** The sync daemon read the change feed: why it woke (a push hint, its poll timer, a local change...) and how many remote files changed. */
  | { readonly type: 'sync.pull'; readonly root: string; readonly reasons: readonly WakeReason[]; readonly pulled: number }
  /** The push channel's state; `retryInMs` when it will try (again) later. */
  | { readonly type: 'push.state'; readonly state: PushState; readonly retryInMs?: number; readonly reason?: string }
  /** The service said a feed this account reads moved. */
  | { readonly type: 'push.hint' }
  /** Something skipped or odd that does not stop the command. */
  | { readonly type: 'warning'; readonly code: ToteErrorCode; readonly message: string; readonly subject?: string };

export type EventSink = (event: ToteEvent) => void;

export type SyncState = 'up-to-date' | 'syncing' | 'error' | 'offline';

/** The push channel (push/channel.ts): trying, up, down (and retrying), not offered by the service or not signed in, stopped. */
export type PushState = 'connecting' | 'connected' | 'disconnected' | 'unavailable' | 'stopped';

/** Why the sync daemon woke: its first round, a push hint, the push channel coming up or going down, a poll, a local change, a retry, the periodic full pass. */
export type WakeReason = 'start' | 'push' | 'push-up' | 'push-down' | 'poll' | 'local' | 'retry' | 'reconcile';
