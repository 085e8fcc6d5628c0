/**
 * Chunk bytes to and from storage through presigned (S3) and signed (CloudFront) URLs. S3 answers
 * errors in XML; they are translated here, once: 403 means the URL was refused (expired, or its
 * signature no longer holds) and a new one should be asked for; 412 on a conditional PUT means the
 * chunk is already stored, which is success.
 */
import type { PresignedPut } from '@contract/schemas';
import { httpExchange, httpStream, textOf, type Fetch, type HttpStream } from '../api/http';
import { ApiError, type ToteErrorCode } from '../errors';
import { DEFAULT_TRANSFER_TUNING } from './environment';

export type PutOutcome = 'stored' | 'present';

/** A transfer that stalls fails after this: a floor plus time for the bytes at a slow-but-alive rate. */
export function transferTimeoutMs(bytes: number, floorMs: number = DEFAULT_TRANSFER_TUNING.stallFloorMs): number {
  const slowBytesPerSecond = 256 * 1024;
  return floorMs + Math.ceil((bytes / slowBytesPerSecond) * 1000);
}

export async function putChunk(fetchImpl: Fetch, put: PresignedPut, body: Uint8Array, signal?: AbortSignal, stallFloorMs?: number): Promise<PutOutcome> {
  const response = await httpExchange(fetchImpl, {
    method: 'PUT',
    url: put.url,
    headers: put.headers,
    body,
    timeoutMs: transferTimeoutMs(body.length, stallFloorMs),
    signal,
  });
  if (response.status >= 200 && response.status < 300) return 'stored';
  if (response.status === 412) return 'present';
  throw storageError('PUT', response.status, response.body);
}

/** Bytes `offset` to `offset + length - 1` of an object: a blob in a pack (lambdas/README.md, "Packs"). */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * The stored bytes of a chunk (still compressed, if it was stored compressed), to be read as they
 * arrive; with `range`, that range of the object at `url` (a blob of a pack), which storage must
 * answer 206: a whole pack answered 200 would be other bytes.
 */
export async function getChunk(
  fetchImpl: Fetch,
  url: string,
  storedSize: number,
  signal?: AbortSignal,
  stallFloorMs?: number,
  range?: ByteRange,
): Promise<HttpStream> {
  const headers = range === undefined ? undefined : { range: `bytes=${range.offset}-${range.offset + range.length - 1}` };
  const response = await httpStream(fetchImpl, { method: 'GET', url, headers, timeoutMs: transferTimeoutMs(storedSize, stallFloorMs), signal });
  if (response.status === (range === undefined ? 200 : 206)) return response;
  if (response.status === 200) {
    response.cancel();
    throw new ApiError('TRANSFER_FAILED', 'storage answered a range request with the whole object', 200);
  }
  throw storageError('GET', response.status, await response.bytes());
}

function storageError(method: string, status: number, body: Uint8Array): ApiError {
  const text = textOf(body);
  const s3Code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const s3Message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const said = [s3Code, s3Message].filter(Boolean).join(': ') || text.replace(/\s+/g, ' ').trim().slice(0, 160);
  const message = `storage answered ${method} with ${status}${said ? ` (${said})` : ''}`;
  return new ApiError(storageCode(status, s3Code), message, status);
}

function storageCode(status: number, s3Code: string | undefined): ToteErrorCode {
  if (status === 403) return 'URL_REJECTED';
  if (status === 429 || s3Code === 'SlowDown') return 'THROTTLED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'TRANSFER_FAILED';
}
