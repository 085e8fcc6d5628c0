/**
 * Presigned PUT URLs of one upload session. The session's start hands out the first batch; the
 * rest, and replacements for URLs that expired or were refused, are asked for in batches ahead of
 * need (the hash asked for plus the next ones in sending order), so a large upload costs one URL
 * request per LIMITS.uploadUrlBatch chunks rather than one per chunk.
 */
import { LIMITS } from '@contract/limits';
import type { PresignedPut, UploadUrlsResponse } from '@contract/schemas';

export type RequestUrls = (hashes: string[]) => Promise<UploadUrlsResponse>;

export interface UrlPoolOptions {
  /** Hashes in the order they will be sent: what to fetch ahead. */
  readonly order: readonly string[];
  /** URLs already in hand (from the start of the session). */
  readonly initial: readonly PresignedPut[];
  readonly now?: () => number;
}

interface Entry {
  readonly put: PresignedPut;
  readonly expiresAt: number;
}

/** Not worth starting a PUT with a URL this close to its expiry. */
const EXPIRY_MARGIN_MS = 60_000;

export class UploadUrlPool {
  private readonly entries = new Map<string, Entry>();
  /** URL requests in flight, per hash; resolves undefined when the service no longer lists the hash as missing. */
  private readonly pending = new Map<string, Promise<PresignedPut | undefined>>();
  private readonly position = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly request: RequestUrls,
    private readonly options: UrlPoolOptions,
  ) {
    this.now = options.now ?? Date.now;
    options.order.forEach((hash, i) => this.position.set(hash, i));
    this.store(options.initial);
  }

  /** A usable URL for `hash`, or undefined when storage already has the chunk. */
  get(hash: string): Promise<PresignedPut | undefined> {
    const entry = this.entries.get(hash);
    if (entry && entry.expiresAt - EXPIRY_MARGIN_MS > this.now()) return Promise.resolve(entry.put);
    return this.pending.get(hash) ?? this.fetchBatchFrom(hash);
  }

  /** Drops a URL storage refused, so the next `get` asks for a new one. */
  invalidate(hash: string): void {
    this.entries.delete(hash);
  }

  private fetchBatchFrom(hash: string): Promise<PresignedPut | undefined> {
    const batch = [hash, ...this.upcoming(hash, LIMITS.uploadUrlBatch - 1)];
    const response = this.request(batch).then((answer) => {
      this.store(answer.urls);
      return answer;
    });
    for (const h of batch) {
      const settled = response.then((answer) => answer.urls.find((u) => u.hash === h));
      const cleared = settled.finally(() => {
        if (this.pending.get(h) === cleared) this.pending.delete(h);
      });
      // Only some of these are awaited (by the PUTs that need them); a failed request must not
      // surface as an unhandled rejection for the others. Awaiters still see the failure.
      cleared.catch(() => undefined);
      this.pending.set(h, cleared);
    }
    return this.pending.get(hash) as Promise<PresignedPut | undefined>;
  }

  /** Up to `count` hashes after `hash` in sending order that have no fresh URL and none on the way. */
  private upcoming(hash: string, count: number): string[] {
    const out: string[] = [];
    const start = (this.position.get(hash) ?? this.options.order.length) + 1;
    const freshUntil = this.now() + EXPIRY_MARGIN_MS;
    for (let i = start; i < this.options.order.length && out.length < count; i++) {
      const h = this.options.order[i];
      const entry = this.entries.get(h);
      if ((entry && entry.expiresAt > freshUntil) || this.pending.has(h)) continue;
      out.push(h);
    }
    return out;
  }

  private store(urls: readonly PresignedPut[]): void {
    // Counted from when the answer arrived by this machine's clock, so clock skew cannot matter.
    const expiresAt = this.now() + LIMITS.uploadUrlTtlSeconds * 1000;
    for (const put of urls) this.entries.set(put.hash, { put, expiresAt });
  }
}
