/** What an upload (upload.ts) is given and what it answers. */
import type { FileMetadata } from '@contract/schemas';
import type { CutChunk } from '../chunking/chunker';
import type { Manifest } from '../chunking/manifest';
import type { ChunkingParams } from '../chunking/params';
import type { TransferEvent } from '../events';
import type { ByteSource } from '../io';

/** Where an upload goes: a path of the caller's namespace, or the next revision of a file by id (`label` names it in events). */
export type UploadTarget = { readonly path: string } | { readonly fileId: string; readonly label: string };

export interface UploadJob {
  readonly source: ByteSource;
  /** Names the source in events and errors (a path, a file name). */
  readonly localPath: string;
  readonly target: UploadTarget;
  readonly mimeType?: string;
  /** The source's manifest when known already (it was hashed before and has not changed since). */
  readonly known?: Manifest;
  /**
   * The revision this upload must replace (0: the path must be free). Without it the upload replaces
   * whatever is there; with it, a remote that moved on is refused with REVISION_CONFLICT before any
   * chunk is sent, and the commit is guarded by it (the sync engine's optimistic concurrency).
   */
  readonly expectedRevision?: number;
  /** Told the manifest once the whole source was read and found unchanged (the Node client remembers it). */
  readonly onManifest?: (manifest: Manifest) => void | Promise<void>;
  /**
   * The source's chunks, in order and with their bytes, when they are cut elsewhere (a browser's
   * Web Worker runs `chunkStream` over the file with `keepBytes`). Default: cut here, from the source.
   */
  readonly chunks?: AsyncIterable<CutChunk>;
  /** Chunking bounds (tests use small ones); default the service's. */
  readonly params?: ChunkingParams;
  /** Cancels the upload: nothing new starts, transfers in flight are aborted, CANCELLED is thrown. */
  readonly signal?: AbortSignal;
}

/** One file's upload, done. */
export interface UploadResult {
  readonly localPath: string;
  readonly remotePath: string;
  readonly file: FileMetadata;
  /** Chunk bytes that travelled to storage in this run (compressed where chunks were). */
  readonly bytesSent: number;
  /** Distinct chunks sent in this run, and the rest: already stored, or confirmed by an earlier run. */
  readonly chunksSent: number;
  readonly chunksSkipped: number;
}

export interface UploadOutcome extends UploadResult {
  readonly manifest: Manifest;
  readonly uploadId: string;
}

/** The event that reports an upload done. */
export const uploadDone = (r: UploadResult): TransferEvent => ({
  type: 'upload.done',
  localPath: r.localPath,
  remotePath: r.remotePath,
  fileId: r.file.fileId,
  revision: r.file.revision,
  size: r.file.size,
  bytesSent: r.bytesSent,
  chunksSent: r.chunksSent,
  chunksSkipped: r.chunksSkipped,
});
