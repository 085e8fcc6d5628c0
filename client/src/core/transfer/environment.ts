/** What the transfer engines need from their platform: the API, HTTP for chunk bytes, hashing, gzip, a ledger, and tuning. */
import type { ApiClient } from '../api/client';
import type { Fetch } from '../api/http';
import type { TransferEventSink } from '../events';
import type { Sha256Factory } from '../hashing/sha256';
import type { Gzip } from './compression';
import type { UploadLedger } from './ledger';

export interface TransferEnvironment {
  readonly api: ApiClient;
  /** For chunk bytes to and from storage (the API client has its own). */
  readonly fetch: Fetch;
  readonly createSha256: Sha256Factory;
  readonly gzip: Gzip;
  /** Sessions and confirmed chunks of uploads, kept across a crash where the platform can. */
  readonly uploads: UploadLedger;
  readonly emit: TransferEventSink;
  /** Chunk transfers in flight at once. */
  readonly concurrency: number;
  /**
   * How far an upload reads ahead of what storage has settled, in bytes (reading waits beyond it);
   * default 64 MiB. Chunks are read again when sent, so this keeps them in the page cache; chunks cut
   * elsewhere with their bytes (a Web Worker) are held in memory up to it.
   */
  readonly maxBufferedBytes?: number;
  /**
   * Bytes of the one block of memory an upload reads chunks into to send them; a send waits until a
   * free range of it holds its chunk (default 32 MiB: eight chunks of the 4 MiB average, which
   * ranges of exactly a chunk's size hold; never less than the largest chunk).
   */
  readonly maxSendBufferBytes?: number;
  /** Tries per chunk transfer for transient failures, the first included. */
  readonly attempts: number;
  /** How long a commit waits for sent chunks to be registered (twice: before and after a resend). */
  readonly commitPatienceMs: number;
  /** A chunk transfer that stalls fails after this plus time for its bytes at a slow-but-alive rate (default 30 s). */
  readonly stallFloorMs?: number;
  /** Waits between retries and polls; tests replace it to control time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether batches send small files' content in packs (default DEFAULT_TRANSFER_TUNING.packs); the bench compares both. */
  readonly packs?: boolean;
}

/** The defaults the CLI and the web app start from. */
export const DEFAULT_TRANSFER_TUNING = {
  concurrency: 8,
  attempts: 8,
  commitPatienceMs: 30_000,
  stallFloorMs: 30_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxSendBufferBytes: 32 * 1024 * 1024,
  /**
   * Small files' content goes up as blobs in packs (pack-sender.ts): a handful of PUTs and tracker
   * runs for thousands of files. Off (client option `packs`, TOTE_PACKS=off) sends a chunk object per
   * file, as before packs; the service accepts both.
   */
  packs: true,
} as const;
