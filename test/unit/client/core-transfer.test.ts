/**
 * The shared transfer core (client/src/core) on its own, as a browser runs it: no Node adapter in
 * sight (bytes from memory, SHA-256 from hash-wasm's WebAssembly, gzip from CompressionStream, the
 * global fetch, an in-memory ledger and sink) against the in-process fake of the service. Uploads are
 * pipelined (the file read once, chunks sent while it is read, memory bounded), resume from the
 * ledger, refuse a source that changed; downloads verify every chunk and the whole, resume, and copy
 * repeated chunks instead of fetching them again.
 */
import { ApiClient } from '../../../client/src/core/api/client';
import type { TransferEvent } from '../../../client/src/core/events';
import { buildManifest } from '../../../client/src/core/chunking/manifest';
import { memorySource, MemorySink, readPieces, type ByteSource } from '../../../client/src/core/io';
import { ByteBudget } from '../../../client/src/core/transfer/byte-budget';
import { streamGzip } from '../../../client/src/core/transfer/compression';
import { downloadInto, type DownloadTarget } from '../../../client/src/core/transfer/download';
import type { TransferEnvironment } from '../../../client/src/core/transfer/environment';
import { MemoryUploadLedger } from '../../../client/src/core/transfer/ledger';
import { uploadSource } from '../../../client/src/core/transfer/upload';
import { logText } from '../../support/content';
import { wasmSha256 } from '../../support/wasm-sha256';
import { seededBytes } from './support/bytes';
import { quickSleep } from './support/fake-client';
import { FakeTote } from './support/fake-tote';

const MiB = 1024 * 1024;
/** Tens of megabytes through the fake service, hashed in WebAssembly: more than jest's default 5 s on a loaded machine. */
jest.setTimeout(90_000);

let fake: FakeTote;
let events: TransferEvent[];
let log: string[];
beforeEach(async () => {
  fake = new FakeTote();
  await fake.start();
  events = [];
  log = [];
  const onPut = fake.onPut;
  fake.onPut = (hash, attempt) => {
    log.push(`put ${hash}`);
    return onPut?.(hash, attempt);
  };
});
afterEach(() => fake.stop());

function environment(overrides: Partial<TransferEnvironment> = {}): TransferEnvironment {
  const token = async () => fake.token;
  return {
    api: new ApiClient({ endpoint: fake.url, tokens: { accessToken: token, refreshedAccessToken: token }, sleep: quickSleep }),
    fetch: (url, init) => fetch(url, init),
    createSha256: wasmSha256,
    gzip: streamGzip,
    uploads: new MemoryUploadLedger(),
    emit: (e) => events.push(e),
    concurrency: 4,
    attempts: 4,
    commitPatienceMs: 300,
    sleep: quickSleep,
    ...overrides,
  };
}

/** A source that logs its reads and can be made to report a change. */
function watched(data: Uint8Array): ByteSource & { bytesRead: number; changed: boolean } {
  const inner = memorySource(data);
  const source = {
    size: inner.size,
    bytesRead: 0,
    changed: false,
    async read(offset: number, length: number) {
      log.push(`read ${offset}`);
      source.bytesRead += length;
      return inner.read(offset, length);
    },
    async readInto(offset: number, target: Uint8Array) {
      log.push(`read ${offset}`);
      source.bytesRead += target.length;
      return inner.readInto?.(offset, target) ?? target;
    },
    unchanged: async () => !source.changed,
  };
  return source;
}

/** A download target over memory that records what the engine asked of it. */
function memoryTarget(size: number, resumed: ReadonlySet<number> = new Set()): DownloadTarget & { sink: MemorySink; completed: boolean; discarded: boolean } {
  const sink = new MemorySink(size);
  const target = {
    sink,
    read: async (offset: number, length: number) => sink.bytes().slice(offset, offset + length),
    resumed,
    completed: false,
    discarded: false,
    complete: async () => void (target.completed = true),
    discard: async () => void (target.discarded = true),
  };
  return target;
}

const puts = () => log.filter((l) => l.startsWith('put '));

describe('an upload through the core alone', () => {
  it('reads the file through once and each chunk it sends once more (the page cache\'s), sending while still reading; the file downloads byte for byte', async () => {
    // Prepare: more than the memory budget, random and text, so chunks are sent plain and gzip-compressed
    const data = Buffer.concat([seededBytes(1, 24 * MiB), logText(1, 4 * MiB)]);
    const source = watched(data);

    // Act
    const up = await uploadSource(environment({ maxBufferedBytes: 0 }), { source, localPath: 'mixed.bin', target: { path: '/mixed.bin' } });
    const target = memoryTarget(data.length);
    const down = await downloadInto(environment(), { file: up.file, localPath: 'mixed.bin', target });

    // Assess
    const sentBytes = up.manifest.chunks.filter((c) => fake.puts.some((p) => p.hash === c.hash && p.status === 200)).reduce((n, c) => n + c.size, 0);
    expect(sentBytes).toBe(data.length);
    expect(source.bytesRead).toBe(data.length + sentBytes);
    const firstPut = log.findIndex((l) => l.startsWith('put '));
    const lastRead = log.findLastIndex((l) => l.startsWith('read '));
    expect(firstPut).toBeGreaterThanOrEqual(0);
    expect(firstPut).toBeLessThan(lastRead);
    expect(new Set(fake.puts.map((p) => p.compression))).toEqual(new Set(['none', 'gzip']));
    expect(up.file).toMatchObject({ path: '/mixed.bin', size: data.length, contentHash: up.manifest.contentHash });
    expect(Buffer.from(target.sink.bytes()).equals(data)).toBe(true);
    expect(target.completed).toBe(true);
    expect(down.chunksFetched).toBe(up.chunksSent);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['hash.start', 'upload.start', 'upload.chunk', 'hash.done', 'upload.done', 'download.done']));
  });

  it('refuses a source that changed while it was read, committing nothing', async () => {
    // Prepare: more than the memory budget, so the reading cannot end before chunks are sent (after the start)
    const source = watched(seededBytes(2, 40 * MiB));
    const env = environment({ maxBufferedBytes: 0, emit: (e) => (e.type === 'upload.start' ? (source.changed = true) : undefined) });

    // Act
    const attempt = uploadSource(env, { source, localPath: 'moving.bin', target: { path: '/moving.bin' } });

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'LOCAL_CHANGED', subject: 'moving.bin' });
    expect(fake.files.size).toBe(0);
  });

  it('resumes from its ledger: a rerun sends only the chunks never confirmed, though the service still lists them', async () => {
    // Prepare: the file's last chunk fails for good in the first run; the tracker lags behind the second
    const data = seededBytes(3, 20 * MiB);
    const job = () => ({ source: memorySource(data), localPath: 'big.bin', target: { path: '/big.bin' } });
    const ledger = new MemoryUploadLedger();
    const manifest = await buildManifest(readPieces(memorySource(data)), { createSha256: wasmSha256 });
    const last = manifest.chunks[manifest.chunks.length - 1].hash;
    const onPut = fake.onPut;
    fake.onPut = (hash, attempt) => onPut?.(hash, attempt) ?? (hash === last && fake.attempts('put', hash) === 0 ? { status: 400 } : undefined);
    fake.registrationDelayMs = 200;
    await expect(uploadSource(environment({ uploads: ledger }), job())).rejects.toMatchObject({ code: 'TRANSFER_FAILED' });
    const confirmedBefore = new Set(fake.puts.filter((p) => p.status === 200).map((p) => p.hash));
    log.length = 0;

    // Act
    const rerun = await uploadSource(environment({ uploads: ledger }), job());

    // Assess
    expect(confirmedBefore.size).toBeGreaterThan(0);
    const all = manifest.chunks.map((c) => c.hash);
    expect(new Set(puts().map((p) => p.slice(4)))).toEqual(new Set(all.filter((h) => !confirmedBefore.has(h))));
    expect(rerun.chunksSent).toBe(all.length - confirmedBefore.size);
    expect(rerun.file.contentHash).toBe(manifest.contentHash);
    expect(ledger.confirmedFor(fake.url, '/big.bin').size).toBe(0);
  });

  it('sends a file that repeats a chunk once, and the download copies the repeat instead of fetching it again', async () => {
    // Prepare: zeros cut at the maximum chunk size, twice over
    const data = Buffer.concat([Buffer.alloc(32 * 1024 * 1024), seededBytes(4, 2 * MiB)]);
    const up = await uploadSource(environment(), { source: memorySource(data), localPath: 'sparse.img', target: { path: '/sparse.img' } });
    const target = memoryTarget(data.length);

    // Act
    const down = await downloadInto(environment(), { file: up.file, localPath: 'sparse.img', target });

    // Assess
    expect(up.file.chunkCount).toBeGreaterThan(new Set(up.manifest.chunks.map((c) => c.hash)).size);
    expect(fake.puts.filter((p) => p.status === 200)).toHaveLength(new Set(up.manifest.chunks.map((c) => c.hash)).size);
    expect(down.chunksFetched).toBe(fake.gets.length);
    expect(down.chunksReused).toBe(up.file.chunkCount - fake.gets.length);
    expect(Buffer.from(target.sink.bytes()).equals(data)).toBe(true);
  });
});

describe('a download through the core alone', () => {
  async function uploaded(seed: number, size: number) {
    const data = seededBytes(seed, size);
    const up = await uploadSource(environment(), { source: memorySource(data), localPath: 'f', target: { path: `/f${seed}` } });
    return { data, file: up.file, chunks: up.manifest.chunks };
  }

  it('keeps the chunks an interrupted run wrote, checking them first, and fetches again one that was lost', async () => {
    // Prepare: a previous run wrote every chunk but the first; the second's bytes never reached the disk
    const { data, file, chunks } = await uploaded(5, 14 * MiB);
    const target = memoryTarget(data.length, new Set(chunks.slice(1).map((c) => c.index)));
    for (const c of chunks.slice(2)) await target.sink.write(c.offset, data.subarray(c.offset, c.offset + c.size));

    // Act
    const down = await downloadInto(environment(), { file, localPath: 'f', target });

    // Assess
    expect(Buffer.from(target.sink.bytes()).equals(data)).toBe(true);
    expect(down.chunksReused).toBe(chunks.length - 2);
    expect(new Set(fake.gets.map((g) => g.hash))).toEqual(new Set([chunks[0].hash, chunks[1].hash]));
  });

  it('throws away what it wrote when the chunks do not make up the content hash the service describes', async () => {
    // Prepare
    const { data, file } = await uploaded(6, 2 * MiB);
    const stored = fake.files.get(file.fileId);
    if (stored) stored.meta = { ...stored.meta, contentHash: 'f'.repeat(64) };
    const target = memoryTarget(data.length);

    // Act
    const attempt = downloadInto(environment(), { file: { ...file, contentHash: 'f'.repeat(64) }, localPath: 'f', target });

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'CHUNK_CORRUPT' });
    expect(target.discarded).toBe(true);
    expect(target.completed).toBe(false);
  });

  it('fetches again a chunk that arrives damaged, verified as it streams', async () => {
    // Prepare
    const { data, file } = await uploaded(7, 6 * MiB);
    fake.onGet = (_hash, attempt) => (attempt === 0 ? { corrupt: true } : undefined);
    const target = memoryTarget(data.length);

    // Act
    await downloadInto(environment(), { file, localPath: 'f', target });

    // Assess
    expect(Buffer.from(target.sink.bytes()).equals(data)).toBe(true);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.code)).toContain('CHUNK_CORRUPT');
  });

  it('gathers every chunk it fetches in one block of a megabyte per transfer in flight, reused from chunk to chunk and across a failed attempt', async () => {
    // Prepare: a damaged first attempt, so a gather buffer is given back after a failure too
    const { data, file, chunks } = await uploaded(8, 20 * MiB);
    fake.onGet = (_hash, attempt) => (attempt === 0 ? { corrupt: true } : undefined);
    const target = memoryTarget(data.length);
    const writtenFrom = new Set<ArrayBufferLike>();
    const write = target.sink.write.bind(target.sink);
    target.sink.write = async (offset, bytes) => {
      writtenFrom.add(bytes.buffer);
      await write(offset, bytes);
    };

    // Act
    await downloadInto(environment({ concurrency: 2 }), { file, localPath: 'f', target });

    // Assess
    expect(Buffer.from(target.sink.bytes()).equals(data)).toBe(true);
    expect(chunks.length).toBeGreaterThan(2);
    expect([...writtenFrom].map((b) => b.byteLength)).toEqual([2 * MiB]);
  });
});

describe('cancelling', () => {
  it('stops an upload at once: CANCELLED, transfers in flight aborted, nothing committed', async () => {
    // Prepare: cancelled as the first chunk lands
    const controller = new AbortController();
    const env = environment({ maxBufferedBytes: 0, emit: (e) => (e.type === 'upload.chunk' ? controller.abort() : undefined) });

    // Act
    const attempt = uploadSource(env, { source: memorySource(seededBytes(8, 40 * MiB)), localPath: 'big', target: { path: '/big' }, signal: controller.signal });

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fake.files.size).toBe(0);
    expect(fake.apiCalls.filter((c) => c.endsWith('/commit'))).toEqual([]);
  });

  it('stops a download at once: CANCELLED, the target neither completed nor discarded', async () => {
    // Prepare
    const data = seededBytes(9, 20 * MiB);
    const { file } = await uploadSource(environment(), { source: memorySource(data), localPath: 'f', target: { path: '/f' } });
    const controller = new AbortController();
    const target = memoryTarget(data.length);
    const env = environment({ concurrency: 1, emit: (e) => (e.type === 'download.chunk' ? controller.abort() : undefined) });

    // Act
    const attempt = downloadInto(env, { file, localPath: 'f', target, signal: controller.signal });

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fake.gets.length).toBeLessThan(file.chunkCount);
    expect([target.completed, target.discarded]).toEqual([false, false]);
  });
});

describe('the byte budget', () => {
  it('makes takers wait while too much is held, in order, and always lets one through when nothing is', async () => {
    const budget = new ByteBudget(10);
    const granted: string[] = [];
    await budget.take(6);
    const big = budget.take(8).then(() => granted.push('big'));
    const small = budget.take(1).then(() => granted.push('small'));
    await Promise.resolve();
    expect(granted).toEqual([]);
    budget.giveBack(6);
    await Promise.all([big, small]);
    expect(granted).toEqual(['big', 'small']);
    expect(budget.heldBytes).toBe(9);
    const huge = budget.take(50);
    budget.giveBack(9);
    await huge;
    expect(budget.heldBytes).toBe(50);
  });
});
