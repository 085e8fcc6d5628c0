/** What the page and the chunk-cutting worker (cut-worker.ts) say to each other. */
import type { ChunkingParams } from '../../../client/src/core/chunking/params';

export type CutRequest =
  /** Cut `file` into chunks; the worker sends them as it goes, pausing while `window` bytes are unacknowledged. */
  | { readonly type: 'cut'; readonly job: number; readonly file: File; readonly window: number; readonly params?: ChunkingParams }
  /** The page took `bytes` more of the job's chunks. */
  | { readonly type: 'ack'; readonly job: number; readonly bytes: number }
  /** The page gave the job up. */
  | { readonly type: 'stop'; readonly job: number };

export type CutReply =
  | {
      readonly type: 'chunk';
      readonly job: number;
      readonly index: number;
      readonly offset: number;
      readonly size: number;
      readonly hash: string;
      readonly bytes: ArrayBuffer;
    }
  | { readonly type: 'done'; readonly job: number }
  | { readonly type: 'error'; readonly job: number; readonly code: string; readonly message: string };
