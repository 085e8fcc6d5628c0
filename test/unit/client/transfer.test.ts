/**
 * The real client (library API, engines, state, HTTP) against an in-process fake of the service:
 * round trips, zero-byte re-uploads, resume after a failure, retries, URL renewal, the commit's
 * patience with the tracker, verification and reuse on download.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@contract/limits';
import { createToteClient, type ToteClient } from '../../../client/src/client';
import { buildManifest } from '../../../client/src/core/chunking/manifest';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import type { ToteEvent } from '../../../client/src/events';
import { seededBytes } from './support/bytes';
import { FakeTote } from './support/fake-tote';

const MiB = 1024 * 1024;
const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)));
/** Each test moves megabytes through the fake service; on a loaded machine that takes more than jest's default 5 s. */
jest.setTimeout(60_000);


let fake: FakeTote;
let root: string;
let configDir: string;
let events: ToteEvent[];
const clients: ToteClient[] = [];

beforeEach(async () => {
  fake = new FakeTote();
  await fake.start();
  root = mkdtempSync(join(tmpdir(), 'tote-transfer-'));
  configDir = join(root, 'config');
  fake.signIn(configDir);
  events = [];
});

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A client as a separate process would have it: its own state dir ("device"), the shared login. */
async function device(name: string): Promise<ToteClient> {
  const client = await createToteClient({
    endpoint: fake.url,
    configDir,
    stateDir: join(root, `state-${name}`),
    commitPatienceMs: 300,
    env: {},
    sleep: quickSleep,
    onEvent: (e) => events.push(e),
  });
  clients.push(client);
  return client;
}

function localFile(name: string, data: Buffer): string {
  const path = join(root, name);
  writeFileSync(path, data);
  return path;
}

const ofType = <T extends ToteEvent['type']>(type: T) => events.filter((e): e is Extract<ToteEvent, { type: T }> => e.type === type);
const okPuts = (hash: string) => fake.puts.filter((p) => p.hash === hash && p.status === 200).length;

describe('upload and download', () => {
  it('round-trips a file byte for byte, and an identical re-upload sends zero chunk bytes', async () => {
    const data = seededBytes(1, 12 * MiB + 123);
    const a = await device('a');
    const first = await a.put(localFile('data.bin', data), '/docs/data.bin');
    expect(first).toMatchObject({ bytesSent: data.length, chunksSkipped: 0 });
    expect(first.files[0].file).toMatchObject({ path: '/docs/data.bin', size: data.length, revision: 1 });
    expect(first.chunksSent).toBeGreaterThan(1);

    events = [];
    const again = await a.put(join(root, 'data.bin'), '/docs/data.bin');
    expect(again).toMatchObject({ bytesSent: 0, chunksSent: 0, chunksSkipped: first.chunksSent });
    expect(ofType('hash.done')).toEqual([expect.objectContaining({ cached: true })]);
    expect(ofType('upload.done')[0]).toMatchObject({ bytesSent: 0, revision: 1 });

    const b = await device('b');
    const got = await b.get('/docs/data.bin', join(root, 'copy.bin'));
    expect(readFileSync(join(root, 'copy.bin')).equals(data)).toBe(true);
    expect(got).toMatchObject({ bytesReceived: data.length, chunksFetched: first.chunksSent, chunksReused: 0 });
    expect(readdirSync(root).filter((n) => n.includes('tote-download'))).toEqual([]);
  });

  it('uploads and downloads an empty file', async () => {
    const a = await device('a');
    const put = await a.put(localFile('empty', Buffer.alloc(0)));
    expect(put.files[0].file).toMatchObject({ path: '/empty', size: 0, chunkCount: 0 });
    await a.get('/empty', join(root, 'empty-copy'));
    expect(readFileSync(join(root, 'empty-copy')).length).toBe(0);
  });

  it('copies chunks it already has on disk instead of downloading them', async () => {
    const data = seededBytes(2, 9 * MiB);
    const a = await device('a');
    await a.put(localFile('mine.bin', data));
    const got = await a.get('/mine.bin', join(root, 'again.bin'));
    expect(got.chunksFetched).toBe(0);
    expect(got.bytesReceived).toBe(0);
    expect(fake.gets).toEqual([]);
    expect(readFileSync(join(root, 'again.bin')).equals(data)).toBe(true);
  });

  it('refuses to replace a local file unless told to', async () => {
    const a = await device('a');
    await a.put(localFile('f.txt', Buffer.from('one')));
    await expect(a.get('/f.txt', join(root, 'f.txt'))).rejects.toMatchObject({ code: 'LOCAL_EXISTS', subject: join(root, 'f.txt') });
    await a.get('/f.txt', join(root, 'f.txt'), { overwrite: true });
  });

  it('names a missing remote file in its error', async () => {
    const a = await device('a');
    await expect(a.get('/nope.txt')).rejects.toMatchObject({ code: 'NOT_FOUND', subject: '/nope.txt', message: 'not found' });
  });
});

describe('upload resume and faults', () => {
  it('after a failed run, sends only chunks never confirmed, even while the service still lists the others as missing', async () => {
    const data = seededBytes(3, 14 * MiB);
    const path = localFile('big.bin', data);
    let failed: string | undefined;
    fake.onPut = (hash) => {
      failed ??= hash;
      return hash === failed && okPuts(hash) === 0 && fake.attempts('put', hash) === 0 ? { status: 400, body: '<Error><Code>BadDigest</Code></Error>' } : undefined;
    };
    // The tracker lags, so on the rerun the service still lists the confirmed chunks as missing.
    fake.registrationDelayMs = 150;
    await expect((await device('a')).put(path)).rejects.toMatchObject({ code: 'TRANSFER_FAILED', subject: '/big.bin' });
    const confirmedBefore = new Set(fake.puts.filter((p) => p.status === 200).map((p) => p.hash));
    expect(confirmedBefore.size).toBeGreaterThan(0);

    events = [];
    const putsBefore = fake.puts.length;
    const rerun = await (await device('a')).put(path);
    const resent = fake.puts.slice(putsBefore).map((p) => p.hash);
    expect(resent.filter((h) => confirmedBefore.has(h))).toEqual([]);
    expect(rerun.chunksSent).toBe(rerun.files[0].file.chunkCount - confirmedBefore.size);
    for (const hash of new Set(fake.puts.map((p) => p.hash))) expect(okPuts(hash)).toBe(1);
    expect(rerun.files[0].file.size).toBe(data.length);
  });

  it('retries transient storage failures with backoff, reporting each retry', async () => {
    fake.onPut = (_hash, attempt) => (attempt < 2 ? { status: attempt === 0 ? 503 : 500 } : undefined);
    const data = seededBytes(4, 3 * MiB);
    const result = await (await device('a')).put(localFile('flaky.bin', data));
    expect(result.bytesSent).toBe(data.length);
    const retries = ofType('retry');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.map((r) => r.code)).toEqual(expect.arrayContaining(['UNAVAILABLE']));
  });

  it('asks for new URLs when storage says they have expired, and fetches URLs beyond the first batch', async () => {
    fake.startUrlBatch = 1;
    let expired = false;
    fake.onPut = () => {
      if (!expired) {
        expired = true;
        fake.expireUrls();
      }
      return undefined;
    };
    const data = seededBytes(5, 12 * MiB);
    const result = await (await device('a')).put(localFile('slow.bin', data));
    expect(result.bytesSent).toBe(data.length);
    // Every PUT in flight with an old URL was refused, and each went through with a renewed one.
    const refused = fake.puts.filter((p) => p.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const { hash } of refused) expect(okPuts(hash)).toBe(1);
    expect(fake.apiCalls.filter((c) => c.endsWith('/urls')).length).toBeGreaterThanOrEqual(1);
  });

  it('waits at commit for the tracker to register chunks that were sent', async () => {
    fake.registerOnlyOnceAsked = true;
    const result = await (await device('a')).put(localFile('lag.bin', seededBytes(6, 2 * MiB)));
    expect(result.files[0].file.revision).toBe(1);
    expect(ofType('upload.waiting').length).toBeGreaterThan(0);
    // The lag is the service's, not an error: the commit said pending until it succeeded, and nothing was sent twice.
    expect(fake.commitStatuses.slice(0, -1).every((s) => s === 202)).toBe(true);
    expect(fake.commitStatuses).toEqual(expect.arrayContaining([202, 200]));
    for (const hash of new Set(fake.puts.map((p) => p.hash))) expect(okPuts(hash)).toBe(1);
  });

  it('sends a chunk once more when the service never registered it (the tracker dropped it), then commits', async () => {
    let lost: string | undefined;
    fake.onPut = (hash, attempt) => {
      lost ??= hash;
      return hash === lost && attempt === 0 ? { corrupt: true } : undefined;
    };
    const result = await (await device('a')).put(localFile('lost.bin', seededBytes(7, 6 * MiB)));
    expect(result.files[0].file.revision).toBe(1);
    expect(fake.puts.filter((p) => p.hash === lost).map((p) => p.status)).toEqual([200, 200]);
  });

  it('replaces at once a partial object a killed run left unregistered (412), through fresh URLs the service verifies', async () => {
    const data = seededBytes(11, 6 * MiB);
    const path = localFile('partial.bin', data);
    const probe = await device('probe');
    await expect(probe.put(path)).resolves.toBeDefined();
    const [victim] = [...fake.registry];
    fake.registry.delete(victim);
    fake.objects.set(victim, Buffer.from('the first bytes of a body cut short'));
    fake.puts.length = 0;

    const result = await (await device('rerun')).put(path, '/partial-again.bin');

    expect(result.files[0].file.revision).toBe(1);
    expect(fake.registry.has(victim)).toBe(true);
    // Before the fix the resend reused the old URL, heard 412 again, and the upload never finished.
    expect(fake.puts.filter((p) => p.hash === victim).map((p) => p.status)).toEqual([412, 200]);
  });

  it('gives up with UPLOAD_INCOMPLETE when a chunk is never registered', async () => {
    fake.onPut = () => ({ corrupt: true });
    const failure = (await device('a')).put(localFile('never.bin', Buffer.from('never registered')));
    await expect(failure).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE', subject: '/never.bin' });
    expect(fake.puts).toHaveLength(2);
  });

  it('hashes a file again when it changed since it was last hashed, even at the same size', async () => {
    const path = localFile('edited.bin', seededBytes(8, 3 * MiB));
    const a = await device('a');
    await a.put(path);
    const edited = seededBytes(9, 3 * MiB);
    writeFileSync(path, edited);
    const result = await a.put(path);
    expect(ofType('hash.done').map((e) => e.cached)).toEqual([false, false]);
    const manifest = await buildManifest((async function* () { yield edited; })(), { createSha256: nodeSha256 });
    expect(result.files[0].file).toMatchObject({ revision: 2, contentHash: manifest.contentHash });
  });
});

describe('download faults and resume', () => {
  it('refetches a chunk that arrives damaged, and renews expired page URLs', async () => {
    const data = seededBytes(10, 10 * MiB);
    await (await device('a')).put(localFile('src.bin', data));
    fake.downloadPageChunks = 1;
    let expired = false;
    fake.onGet = (_hash, attempt) => {
      if (!expired) {
        expired = true;
        fake.expireUrls();
        return undefined;
      }
      return attempt === 1 ? { corrupt: true } : undefined;
    };
    const got = await (await device('b')).get('/src.bin', join(root, 'dst.bin'));
    expect(readFileSync(join(root, 'dst.bin')).equals(data)).toBe(true);
    expect(ofType('retry').map((r) => r.code)).toContain('CHUNK_CORRUPT');
    const pageRequests = fake.apiCalls.filter((c) => c.endsWith('/download')).length;
    expect(pageRequests).toBeGreaterThan(got.file.chunkCount);
  });

  it('resumes an interrupted download, keeping the chunks already written', async () => {
    const data = seededBytes(11, 14 * MiB);
    await (await device('a')).put(localFile('src.bin', data));
    const dest = join(root, 'dst.bin');
    let victim: string | undefined;
    fake.onGet = (hash, attempt) => {
      victim ??= hash;
      return hash === victim && attempt === 0 ? { status: 404 } : undefined;
    };
    await expect((await device('b')).get('/src.bin', dest)).rejects.toMatchObject({ code: 'TRANSFER_FAILED', subject: '/src.bin' });
    expect(existsSync(dest)).toBe(false);
    const written = ofType('download.chunk').length;
    expect(written).toBeGreaterThan(0);

    events = [];
    const got = await (await device('b')).get('/src.bin', dest);
    expect(readFileSync(dest).equals(data)).toBe(true);
    expect(ofType('download.chunk').filter((e) => e.source === 'resumed')).toHaveLength(written);
    expect(got.chunksReused).toBe(written);
  });
});

describe('folders and listing', () => {
  it('uploads a folder recursively, skipping links and its own temp files', async () => {
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'a.txt'), 'a');
    writeFileSync(join(tree, 'sub', 'b.txt'), 'b');
    writeFileSync(join(tree, '.b.txt.tote-download-123'), 'partial');
    symlinkSync(join(tree, 'a.txt'), join(tree, 'link'));
    const a = await device('a');
    const result = await a.put(tree, '/backup');
    expect(result.files.map((f) => f.remotePath)).toEqual(['/backup/a.txt', '/backup/sub/b.txt']);
    expect(ofType('warning')).toEqual([expect.objectContaining({ subject: join(tree, 'link'), message: 'skipped: a symbolic link' })]);
    expect((await a.ls('/backup')).map((e) => e.name)).toEqual(['a.txt', 'sub']);
    await a.rm('/backup/a.txt');
    expect((await a.ls('/backup')).map((e) => e.name)).toEqual(['sub']);
  });

  it('downloads a folder tree in one batch request: nested folders, an empty file, a file longer than the batch page', async () => {
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(tree, 'a.txt'), 'a');
    writeFileSync(join(tree, 'sub', 'empty'), '');
    writeFileSync(join(tree, 'sub', 'deeper', 'big.bin'), seededBytes(7, 20 * MiB));
    const a = await device('a');
    await a.put(tree, '/backup');
    const b = await device('b');
    fake.apiCalls.length = 0;

    // A local folder that does not exist yet becomes the copy (as cp -r does).
    const got = await b.getFolder('/backup', join(root, 'out'));

    expect(got.outcomes.failed).toEqual([]);
    expect(got.outcomes.results.map((r) => r.remotePath).sort()).toEqual(['/backup/a.txt', '/backup/sub/deeper/big.bin', '/backup/sub/empty']);
    // Buffer.equals: jest's toEqual walks 20 MiB byte by byte.
    for (const rel of ['a.txt', 'sub/empty', 'sub/deeper/big.bin']) expect(readFileSync(join(root, 'out', rel)).equals(readFileSync(join(tree, rel)))).toBe(true);
    expect(fake.apiCalls.filter((c) => c === 'POST /download-batches')).toHaveLength(1);
    // Only the big file's pages past the batch's first one are asked for on their own.
    expect(got.outcomes.results.find((r) => r.remotePath.endsWith('big.bin'))!.file.chunkCount).toBeGreaterThan(LIMITS.downloadBatchPageChunks);
    expect(fake.apiCalls.filter((c) => c.endsWith('/download'))).toHaveLength(1);
  });

  it('leaves a local file that differs in place (LOCAL_EXISTS) and gets the rest; a rerun fetches nothing it already has; --force replaces', async () => {
    const tree = join(root, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.txt'), 'remote a');
    writeFileSync(join(tree, 'b.txt'), 'remote b');
    const a = await device('a');
    await a.put(tree, '/docs');
    const out = join(root, 'out');
    mkdirSync(join(out, 'docs'), { recursive: true });
    writeFileSync(join(out, 'docs', 'a.txt'), 'mine');
    const b = await device('b');

    const first = await b.getFolder('/docs', out);
    const second = await b.getFolder('/docs', out);
    const forced = await b.getFolder('/docs', out, { overwrite: true });

    expect(first.outcomes.failed).toEqual([expect.objectContaining({ localPath: join(out, 'docs', 'a.txt'), code: 'LOCAL_EXISTS' })]);
    expect(first.outcomes.results.map((r) => r.remotePath)).toEqual(['/docs/b.txt']);
    expect(second.unchanged).toEqual([join(out, 'docs', 'b.txt')]);
    expect(second.outcomes.failed.map((f) => f.code)).toEqual(['LOCAL_EXISTS']);
    expect(forced.outcomes.results.map((r) => r.remotePath)).toEqual(['/docs/a.txt']);
    expect(readFileSync(join(out, 'docs', 'a.txt'), 'utf8')).toBe('remote a');
  });
});
