/**
 * Coalesced reads of packed blobs (lambdas/README.md, "Packs"). A batch download learns every file's
 * first page at once; small files uploaded together lie side by side in a few packs, so instead of one
 * ranged GET per blob, the blobs that share a signed URL and lie next to each other are read with one
 * ranged GET of the run they make (up to SPAN_MAX_BYTES), and each blob's range is answered from it.
 *
 * It is a Fetch: the download engine asks for each blob's range as it always does and verifies what it
 * gets (chunk-codec.ts hashes every blob), so nothing is trusted that was not before. Only ranges that
 * share one URL are joined: a share's recipient holds a URL signed for one blob's range alone (never
 * widened), which no other blob shares. Memory is bounded: a run is dropped once each of its blobs was
 * answered (as often as files of the batch hold it), and while runs fetched and not yet consumed hold MAX_HELD_BYTES, further blobs are fetched
 * on their own. A run that fails to arrive lets each of its blobs go its own way (retries, renewed URLs).
 */
import { LIMITS } from '@contract/limits';
import type { DownloadChunk } from '@contract/schemas';
import type { Fetch } from '../api/http';

/** One ranged GET's most bytes: a pack's target size, so a folder uploaded together is read a pack per GET. */
const SPAN_MAX_BYTES = LIMITS.packTargetBytes;
/** Bytes of runs fetched and waiting for their blobs to be asked for. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

interface Span {
  readonly url: string;
  readonly start: number;
  end: number;
  /** Blobs (by start offset) not yet answered: their length, and how many files still ask for them (copies share a blob). */
  readonly waiting: Map<number, { readonly length: number; askers: number }>;
  bytes?: Promise<Uint8Array | undefined>;
}

export class PackRanges {
  /** Planned runs by `url offset` of each blob they hold. */
  private readonly spans = new Map<string, Span>();
  private held = 0;
  /** Ranged GETs this made for runs (each standing for several blobs). */
  spanRequests = 0;

  constructor(private readonly storage: Fetch) {}

  /** Plans the runs for the ranged chunks among `chunks` (a batch's first pages). */
  plan(chunks: Iterable<Pick<DownloadChunk, 'url' | 'range'>>): void {
    const byUrl = new Map<string, Map<number, { length: number; askers: number }>>();
    for (const c of chunks) {
      if (c.range === undefined || this.spans.has(keyOf(c.url, c.range.offset))) continue;
      const ranges = byUrl.get(c.url) ?? new Map<number, { length: number; askers: number }>();
      const known = ranges.get(c.range.offset);
      if (known?.length === c.range.length) known.askers += 1;
      else ranges.set(c.range.offset, { length: c.range.length, askers: 1 });
      byUrl.set(c.url, ranges);
    }
    for (const [url, ranges] of byUrl) {
      let span: Span | undefined;
      for (const [offset, blob] of [...ranges].sort((a, b) => a[0] - b[0])) {
        if (span === undefined || offset !== span.end || offset + blob.length - span.start > SPAN_MAX_BYTES) {
          span = { url, start: offset, end: offset, waiting: new Map() };
        }
        span.end = offset + blob.length;
        span.waiting.set(offset, blob);
        this.spans.set(keyOf(url, offset), span);
      }
    }
    // A run of one blob asked for once gains nothing: that blob is fetched as before.
    for (const [key, span] of this.spans) {
      if (span.bytes === undefined && span.waiting.size === 1 && [...span.waiting.values()][0]!.askers === 1) this.spans.delete(key);
    }
  }

  /** Storage reads: a planned blob's range comes from its run, everything else goes to storage as asked. */
  readonly fetch: Fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const range = requestedRange(init?.headers);
    const span = range === undefined || (init?.method ?? 'GET') !== 'GET' ? undefined : this.spans.get(keyOf(url, range.offset));
    if (span === undefined || span.waiting.get(range!.offset)?.length !== range!.length) return this.storage(input, init);
    const bytes = await this.read(span);
    this.answered(span, range!.offset);
    if (bytes === undefined) return this.storage(input, init);
    const at = range!.offset - span.start;
    return new Response(bytes.slice(at, at + range!.length), {
      status: 206,
      headers: { 'content-range': `bytes ${range!.offset}-${range!.offset + range!.length - 1}/*`, 'content-length': String(range!.length) },
    });
  };

  /** The run's bytes, fetched once; undefined when it could not be (or memory is full): its blobs go alone. */
  private read(span: Span): Promise<Uint8Array | undefined> {
    if (span.bytes !== undefined) return span.bytes;
    const length = span.end - span.start;
    if (this.held + length > MAX_HELD_BYTES) return Promise.resolve(undefined);
    this.held += length;
    this.spanRequests += 1;
    span.bytes = (async () => {
      try {
        const response = await this.storage(span.url, { method: 'GET', headers: { range: `bytes=${span.start}-${span.end - 1}` } });
        if (response.status !== 206) {
          await response.body?.cancel();
          return undefined;
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        return bytes.length === length ? bytes : undefined;
      } catch {
        return undefined;
      }
    })();
    return span.bytes;
  }

  /** One blob of the run was answered (or went its own way): the run is forgotten once none waits. */
  private answered(span: Span, offset: number): void {
    const blob = span.waiting.get(offset);
    if (blob === undefined || --blob.askers > 0) return;
    span.waiting.delete(offset);
    this.spans.delete(keyOf(span.url, offset));
    if (span.waiting.size === 0 && span.bytes !== undefined) this.held -= span.end - span.start;
  }
}

const keyOf = (url: string, offset: number) => `${offset} ${url}`;

/** The one `bytes=a-b` range a request asks for, if any. */
function requestedRange(headers: RequestInit['headers']): { offset: number; length: number } | undefined {
  if (headers === undefined) return undefined;
  const value = new Headers(headers).get('range');
  const m = value === null ? null : /^bytes=(\d+)-(\d+)$/.exec(value);
  if (m === null) return undefined;
  const offset = Number(m[1]);
  return { offset, length: Number(m[2]) - offset + 1 };
}
