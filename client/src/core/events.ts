/**
 * What the transfer engines report while they work. Engines never print: they emit these coded
 * events and a host (the CLI's progress bars or JSON lines, the web app's progress view, a test's
 * recorder) decides what to do with them. `localPath` names the source as its platform does (a
 * path in Node, a file name in a browser).
 */
import type { ToteErrorCode } from './errors';

export type TransferEvent =
  /** Reading a file to cut and hash its chunks (while an upload sends them). */
  | { readonly type: 'hash.start'; readonly localPath: string; readonly size: number }
  | { readonly type: 'hash.progress'; readonly localPath: string; readonly bytes: number; readonly size: number }
  /** `cached`: the file was unchanged since last hashed, so it was not read again. */
  | { readonly type: 'hash.done'; readonly localPath: string; readonly chunks: number; readonly cached: boolean }
  /** The service opened the upload; its chunks follow as they are cut. */
  | { readonly type: 'upload.start'; readonly localPath: string; readonly remotePath: string; readonly uploadId: string; readonly size: number }
  /**
   * One distinct chunk settled: `sent` travelled now; `present` storage has it already (the service
   * lists it as stored, storage answered 412, or an earlier run of this upload had it confirmed).
   */
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
  /** Something skipped or odd that does not stop the command. */
  | { readonly type: 'warning'; readonly code: ToteErrorCode; readonly message: string; readonly subject?: string };

export type TransferEventSink = (event: TransferEvent) => void;
