/**
 * The shared core's TransferEnvironment with the browser's parts: the page's fetch, hash-wasm for
 * SHA-256 (the page hashes what it downloads; uploads are cut and hashed in the worker), gzip through
 * CompressionStream, and the upload ledger in IndexedDB (in memory where a browser has none, e.g.
 * some private windows: resume then lasts as long as the page).
 */
import type { ApiClient } from '../../../client/src/core/api/client';
import { webBytes } from '../../../client/src/core/io';
import { streamGzip } from '../../../client/src/core/transfer/compression';
import { DEFAULT_TRANSFER_TUNING, type TransferEnvironment } from '../../../client/src/core/transfer/environment';
import { MemoryUploadLedger } from '../../../client/src/core/transfer/ledger';
import { createSha256 } from './sha256';
import { IndexedDbUploadLedger } from './upload-ledger';

/** Chunk transfers in flight per file; a browser opens at most 6 connections per host over HTTP/1.1. */
const BROWSER_CONCURRENCY = 6;
/**
 * Bytes an upload holds ahead of storage. Chunks cut in the worker come with their bytes, so in a
 * browser this is memory (times the files uploading at once), not the page cache as in Node.
 */
const BROWSER_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * The page's fetch, with byte bodies handed over as a Blob. Chromium serializes a typed-array body
 * for DevTools' network log on the page's thread whenever DevTools (or an automation client) is
 * attached: about a second per 4 MiB chunk, freezing the page, while a Blob body costs milliseconds.
 */
const pageFetch: TransferEnvironment['fetch'] = (url, init) =>
  fetch(url, init?.body instanceof Uint8Array ? { ...init, body: new Blob([webBytes(init.body)]) } : init);

export function browserEnvironment(api: ApiClient): TransferEnvironment {
  return {
    ...DEFAULT_TRANSFER_TUNING,
    api,
    fetch: pageFetch,
    createSha256,
    gzip: streamGzip,
    uploads: typeof indexedDB === 'undefined' ? new MemoryUploadLedger() : new IndexedDbUploadLedger(),
    emit: () => undefined,
    concurrency: BROWSER_CONCURRENCY,
    maxBufferedBytes: BROWSER_BUFFERED_BYTES,
  };
}
