/**
 * The signed chunk URLs of one download page. CloudFront URLs expire after a few minutes; a chunk
 * whose URL was refused asks for its page again, and concurrent askers share that one request.
 */
import type { DownloadChunk, DownloadResponse } from '@contract/schemas';

export class PageUrls {
  private readonly urls = new Map<number, string>();
  private renewing?: Promise<void>;

  constructor(
    page: DownloadResponse,
    private readonly fetchPage: () => Promise<DownloadResponse>,
  ) {
    this.take(page.chunks);
  }

  url(index: number): string {
    const url = this.urls.get(index);
    if (url === undefined) throw new Error(`chunk ${index} is not on this page`);
    return url;
  }

  /** Replaces the page's URLs, unless `stale` was already replaced by another caller. */
  async renew(index: number, stale: string): Promise<void> {
    if (this.urls.get(index) !== stale) return;
    this.renewing ??= this.fetchPage()
      .then((page) => this.take(page.chunks))
      .finally(() => {
        this.renewing = undefined;
      });
    await this.renewing;
  }

  private take(chunks: readonly DownloadChunk[]): void {
    for (const c of chunks) this.urls.set(c.index, c.url);
  }
}
