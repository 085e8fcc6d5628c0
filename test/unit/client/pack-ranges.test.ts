/**
 * Coalesced reads of packed blobs (core/transfer/pack-ranges.ts) against a fake storage that serves
 * ranges of two packs: blobs side by side under one URL come from one ranged GET, byte for byte as
 * their own GETs would answer; a URL of one blob's range (a recipient's) is never joined with others;
 * a run that fails lets each blob go its own way; unplanned requests pass through untouched.
 */
import { PackRanges } from '../../../client/src/core/transfer/pack-ranges';
import { seededBytes } from './support/bytes';

const PACK_A = new Uint8Array(seededBytes(1, 40_000));
const PACK_B = new Uint8Array(seededBytes(2, 40_000));
const URL_A = 'https://edge.example/packs/o/a?Signature=x';
/** Recipients' URLs: each signed for one range of pack B. */
const urlB = (offset: number) => `https://edge.example/packs/o/b?range=${offset}&Signature=y`;

/** Storage answering `bytes=a-b` ranges (206) of the pack a URL names, recording each request's range; `failing` answers 500. */
function fakeStorage(failing = false) {
  const requests: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const range = new Headers(init?.headers).get('range') ?? 'whole';
    requests.push(`${url.includes('/a?') ? 'A' : 'B'} ${range}`);
    if (failing && requests.length === 1) return new Response('down', { status: 500 });
    const m = /^bytes=(\d+)-(\d+)$/.exec(range)!;
    const pack = url.includes('/a?') ? PACK_A : PACK_B;
    return new Response(pack.slice(Number(m[1]), Number(m[2]) + 1), { status: 206 });
  }) as typeof fetch;
  return { fetchImpl, requests };
}

const blob = (url: string, offset: number, length: number) => ({ url, range: { offset, length } });
const read = async (ranges: PackRanges, url: string, offset: number, length: number) => {
  const response = await ranges.fetch(url, { method: 'GET', headers: { range: `bytes=${offset}-${offset + length - 1}` } });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
};

test('adjacent blobs under one URL come from one ranged GET, each answered with exactly its bytes', async () => {
  // Prepare: three blobs side by side in pack A, one further on (not adjacent), one on its own URL of pack B twice
  const storage = fakeStorage();
  const ranges = new PackRanges(storage.fetchImpl);
  ranges.plan([blob(URL_A, 0, 1000), blob(URL_A, 1000, 500), blob(URL_A, 1500, 2500), blob(URL_A, 10_000, 100), blob(urlB(0), 0, 300), blob(urlB(300), 300, 300)]);

  // Act: in an order other than the pack's
  const got = await Promise.all([read(ranges, URL_A, 1000, 500), read(ranges, URL_A, 0, 1000), read(ranges, URL_A, 1500, 2500), read(ranges, URL_A, 10_000, 100)]);
  const recipient = await Promise.all([read(ranges, urlB(0), 0, 300), read(ranges, urlB(300), 300, 300)]);

  // Assess: one GET for the run of three, the lone blob and each recipient range on their own
  expect(got.map((g) => g.status)).toEqual([206, 206, 206, 206]);
  expect(got[0]!.bytes).toEqual(PACK_A.slice(1000, 1500));
  expect(got[1]!.bytes).toEqual(PACK_A.slice(0, 1000));
  expect(got[2]!.bytes).toEqual(PACK_A.slice(1500, 4000));
  expect(got[3]!.bytes).toEqual(PACK_A.slice(10_000, 10_100));
  expect(recipient[0]!.bytes).toEqual(PACK_B.slice(0, 300));
  expect(recipient[1]!.bytes).toEqual(PACK_B.slice(300, 600));
  expect(storage.requests.sort()).toEqual(['A bytes=0-3999', 'A bytes=10000-10099', 'B bytes=0-299', 'B bytes=300-599']);
  expect(ranges.spanRequests).toBe(1);
});

test('a blob asked for again (its first bytes failed verification) goes to storage on its own', async () => {
  const storage = fakeStorage();
  const ranges = new PackRanges(storage.fetchImpl);
  ranges.plan([blob(URL_A, 0, 100), blob(URL_A, 100, 100)]);

  await read(ranges, URL_A, 0, 100);
  const again = await read(ranges, URL_A, 0, 100);

  expect(again.bytes).toEqual(PACK_A.slice(0, 100));
  expect(storage.requests).toEqual(['A bytes=0-199', 'A bytes=0-99']);
});

test('a run storage fails to serve lets each of its blobs make its own request', async () => {
  const storage = fakeStorage(true);
  const ranges = new PackRanges(storage.fetchImpl);
  ranges.plan([blob(URL_A, 0, 100), blob(URL_A, 100, 100)]);

  const got = await Promise.all([read(ranges, URL_A, 0, 100), read(ranges, URL_A, 100, 100)]);

  expect(got.map((g) => g.bytes)).toEqual([PACK_A.slice(0, 100), PACK_A.slice(100, 200)]);
  expect(storage.requests.sort()).toEqual(['A bytes=0-199', 'A bytes=0-99', 'A bytes=100-199']);
});

test('requests it did not plan pass through as they are', async () => {
  const storage = fakeStorage();
  const ranges = new PackRanges(storage.fetchImpl);
  ranges.plan([blob(URL_A, 0, 100), blob(URL_A, 100, 100)]);

  const other = await read(ranges, URL_A, 50, 100);

  expect(other.bytes).toEqual(PACK_A.slice(50, 150));
  expect(storage.requests).toEqual(['A bytes=50-149']);
});

test('files that hold the same blob (copies) are both answered from the one read', async () => {
  const storage = fakeStorage();
  const ranges = new PackRanges(storage.fetchImpl);
  ranges.plan([blob(URL_A, 0, 100), blob(URL_A, 0, 100), blob(URL_A, 100, 100)]);

  const got = await Promise.all([read(ranges, URL_A, 0, 100), read(ranges, URL_A, 0, 100), read(ranges, URL_A, 100, 100)]);

  expect(got.map((g) => g.bytes)).toEqual([PACK_A.slice(0, 100), PACK_A.slice(0, 100), PACK_A.slice(100, 200)]);
  expect(storage.requests).toEqual(['A bytes=0-199']);
});
