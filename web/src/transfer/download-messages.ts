/** What the page and the download worker (download-worker.ts) say to each other. */
import type { FileMetadata } from '@contract/schemas';

/** The folder of the origin private file system where downloads are staged until verified and handed over. */
export const STAGING_DIR = 'tote-downloads';

export type DownloadRequest =
  /** Download `file` into the staging file `stagedName` (in STAGING_DIR of the origin private file system). */
  | { readonly type: 'download'; readonly job: number; readonly file: FileMetadata; readonly stagedName: string; readonly concurrency: number }
  /** The page gave the job up. */
  | { readonly type: 'cancel'; readonly job: number }
  /** The answer to an API call the worker asked the page for (the page holds the session). */
  | { readonly type: 'api-answer'; readonly job: number; readonly call: number; readonly value: unknown }
  | { readonly type: 'api-error'; readonly job: number; readonly call: number; readonly code: string; readonly message: string };

export type DownloadReply =
  | { readonly type: 'api'; readonly job: number; readonly call: number; readonly route: string; readonly input: unknown }
  /** Bytes of the file written and verified so far. */
  | { readonly type: 'progress'; readonly job: number; readonly bytes: number }
  /** Every chunk and the whole content verified; the staging file is closed and complete. */
  | { readonly type: 'done'; readonly job: number; readonly chunksFetched: number }
  /** This browser cannot write files from a worker (no synchronous access handles): the page downloads itself. */
  | { readonly type: 'unsupported'; readonly job: number }
  | { readonly type: 'error'; readonly job: number; readonly code: string; readonly message: string };
