/**
 * Presigned PUT URLs of one upload session. URLs arrive with the answers that say which chunks are
 * missing (the start, and for an open upload each batch of chunks it names as it cuts them); URLs
 * that expired or were refused, or never came, are asked for in batches ahead of need (the hash asked
 * for plus the next ones in sending order), so a large upload costs one URL request per
 * LIMITS.uploadUrlBatch chunks rather than one per chunk.
 *
 * A URL is signed for one compression (it is stored as object metadata the tracker reads), and a
 * chunk's compression is final only once its bytes are encoded. A batch asked for one compression covers
 * the upcoming chunks too, on the bet that neighbouring chunks of a file compress alike. When a chunk
 * turns out otherwise, the first request of its kind is small (the data may be switching back and
 * forth); a second one in a row is a full batch.
 */
import { LIMITS } from '@contract/limits';
import type { Compression, PresignedPut, UploadUrlsResponse } from '@contract/schemas';
import type { ApiClient } from '../api/client';

/** `verify`: storage may hold unregistered objects under some of these keys; the service checks them first. */
export type RequestUrls = (hashes: string[], compression: Compression, verify: boolean) => Promise<UploadUrlsResponse>;

/** Asks the service for URLs of a session (POST /uploads/{uploadId}/urls). */
export const urlRequests =
  (api: ApiClient, uploadId: () => string): RequestUrls =>
  (hashes, compression, verify) =>
    api.call('uploadUrls', { params: { uploadId: uploadId() }, body: { hashes, compression, ...(verify ? { verify } : {}) } });

export interface UrlPoolOptions {
  readonly now?: () => number;
}

interface Entry {
  readonly put: PresignedPut;
  readonly compression: Compression;
  readonly expiresAt: number;
}

/** Not worth starting a PUT with a URL this close to its expiry. */
const EXPIRY_MARGIN_MS = 60_000;
/** URLs asked for when the compression differs from the previous request's. */
const SWITCH_BATCH = 32;

export class UploadUrlPool {
  private readonly entries = new Map<string, Entry>();
  /** URL requests in flight, per hash and compression; resolves undefined when the service no longer lists the hash as missing. */
  private readonly pending = new Map<string, Map<Compression, Promise<PresignedPut | undefined>>>();
  /** Hashes to be sent, in sending order, and where each is in it. */
  private readonly order: string[] = [];
  private readonly position = new Map<string, number>();
  /** Sent (or found stored): never asked for again. */
  private readonly retired = new Set<string>();
  /** Hashes to have verified by the next request that names them. */
  private readonly toVerify = new Set<string>();
  private readonly now: () => number;
  private lastRequested: Compression = 'none';

  constructor(
    private readonly request: RequestUrls,
    options: UrlPoolOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** URLs handed out with an answer, signed for `compression`. */
  add(urls: readonly PresignedPut[], compression: Compression): void {
    this.lastRequested = compression;
    this.store(urls, compression);
  }

  /** Hashes to be sent next, in order: a request for a URL asks for the ones after it along. */
  expect(hashes: readonly string[]): void {
    for (const hash of hashes) {
      if (this.position.has(hash)) continue;
      this.position.set(hash, this.order.length);
      this.order.push(hash);
    }
  }

  /** Sent, or found stored: its URL is not needed any more. */
  retire(hash: string): void {
    this.retired.add(hash);
    this.entries.delete(hash);
  }

  /** A usable URL for `hash` signed for `compression`, or undefined when storage already has the chunk. */
  get(hash: string, compression: Compression): Promise<PresignedPut | undefined> {
    const entry = this.entries.get(hash);
    if (entry && entry.compression === compression && entry.expiresAt - EXPIRY_MARGIN_MS > this.now()) return Promise.resolve(entry.put);
    return this.pending.get(hash)?.get(compression) ?? this.fetchBatchFrom(hash, compression);
  }

  /**
   * Drops a URL, so the next `get` asks for a new one: storage refused it, or (`verify`) storage
   * holds an object under its key that the service has not registered, which it should check first.
   */
  invalidate(hash: string, verify = false): void {
    this.entries.delete(hash);
    if (verify) this.toVerify.add(hash);
  }

  private fetchBatchFrom(hash: string, compression: Compression): Promise<PresignedPut | undefined> {
    const size = compression === this.lastRequested ? LIMITS.uploadUrlBatch : SWITCH_BATCH;
    this.lastRequested = compression;
    const batch = [hash, ...this.upcoming(hash, compression, size - 1)];
    const verify = batch.some((h) => this.toVerify.has(h));
    for (const h of batch) this.toVerify.delete(h);
    const response = this.request(batch, compression, verify).then((answer) => {
      this.store(answer.urls, compression);
      return answer;
    });
    for (const h of batch) {
      const settled = response.then((answer) => answer.urls.find((u) => u.hash === h));
      const cleared = settled.finally(() => {
        const kinds = this.pending.get(h);
        if (kinds?.get(compression) !== cleared) return;
        kinds.delete(compression);
        if (kinds.size === 0) this.pending.delete(h);
      });
      // Only some of these are awaited (by the PUTs that need them); a failed request must not
      // surface as an unhandled rejection for the others. Awaiters still see the failure.
      cleared.catch(() => undefined);
      const kinds = this.pending.get(h) ?? new Map<Compression, Promise<PresignedPut | undefined>>();
      kinds.set(compression, cleared);
      this.pending.set(h, kinds);
    }
    return this.pending.get(hash)?.get(compression) as Promise<PresignedPut | undefined>;
  }

  /** Up to `count` hashes after `hash` in sending order that have no fresh URL of this kind and none on the way. */
  private upcoming(hash: string, compression: Compression, count: number): string[] {
    const out: string[] = [];
    const start = (this.position.get(hash) ?? this.order.length) + 1;
    const freshUntil = this.now() + EXPIRY_MARGIN_MS;
    for (let i = start; i < this.order.length && out.length < count; i++) {
      const h = this.order[i];
      const entry = this.entries.get(h);
      if (this.retired.has(h) || (entry && entry.compression === compression && entry.expiresAt > freshUntil) || this.pending.has(h)) continue;
      out.push(h);
    }
    return out;
  }

  private store(urls: readonly PresignedPut[], compression: Compression): void {
    // Counted from when the answer arrived by this machine's clock, so clock skew cannot matter.
    const expiresAt = this.now() + LIMITS.uploadUrlTtlSeconds * 1000;
    for (const put of urls) this.entries.set(put.hash, { put, compression, expiresAt });
  }
}
