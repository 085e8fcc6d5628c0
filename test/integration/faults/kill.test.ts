/**
 * The CLI SIGKILLed at random points of an upload and of a download, then run again until it
 * finishes. What storage saw comes from the proxy in front of it (not from the client's own account):
 * a rerun never PUTs a chunk the service had registered when the rerun began, nor one an earlier run
 * had confirmed; a resumed download never fetches a chunk an earlier run had written. The kill points
 * are seeded; the seed is printed, TOTE_FAULT_SEED replays it.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartUploadResponse } from '@contract/schemas';
import { buildManifest, type Manifest } from '../../../client/src/core/chunking/manifest';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import { randomFile, sha256File } from '../client/files';
import { openDevice, type Device } from '../client/devices';
import { api } from '../harness/api';
import { signedInUser } from '../harness/fixture';
import { startFaultProxy, type FaultProxy, type LogEntry } from './support/fault-proxy';
import { confirmedChunks, runCli, writtenChunks, type CliRun } from './support/cli';
import { faultSeed, seededRandom } from './support/plans';

const MiB = 1024 * 1024;
const KILLED_RUNS = 3;
const TEST_TIMEOUT_MS = 300_000;
const ctx = signedInUser();
const seed = faultSeed();
const random = seededRandom(seed);

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy();
  process.stdout.write(`kill point seed ${seed} (TOTE_FAULT_SEED=${seed} replays it)\n`);
});
afterAll(() => proxy.stop());

/** A signed-in device for the CLI to use (its config and state folders), closed so the CLI has them alone. */
async function cliDevice(name: string): Promise<Device> {
  const device = await openDevice(ctx.target, ctx.user, name);
  device.client.close();
  return device;
}

const cliArgs = (device: Device, ...command: string[]) => [
  '--endpoint',
  ctx.target.apiUrl,
  '--config-dir',
  device.configDir,
  '--state-dir',
  device.stateDir,
  '--concurrency',
  '2',
  ...command,
];

/** The 64-hex name at the end of a chunk URL's path (presigned PUT or signed GET). */
const chunkOf = (entry: LogEntry) => /([0-9a-f]{64})$/.exec(entry.path)?.[1];
const putsIn = (entries: readonly LogEntry[]) => entries.filter((e) => e.method === 'PUT').flatMap((e) => chunkOf(e) ?? []);

/**
 * The chunks of the file the service has registered, once the tracker has caught up with what the
 * killed run left in storage (asked until two answers a second apart agree).
 */
async function registeredOnceSettled(path: string, manifest: Manifest): Promise<Set<string>> {
  const ask = async () => {
    const answer = await api<StartUploadResponse>(ctx.target, 'POST', '/uploads', {
      token: ctx.user.accessToken,
      body: { path, size: manifest.size, contentHash: manifest.contentHash, chunks: manifest.chunks.map((c) => ({ hash: c.hash, size: c.size })) },
    });
    if (answer.status !== 200) throw new Error(`POST /uploads answered ${answer.status}: ${answer.text}`);
    return [...answer.json.missing].sort().join();
  };
  let previous = await ask();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await ask();
    if (now === previous) break;
    previous = now;
  }
  const missing = new Set(previous.split(','));
  return new Set(manifest.chunks.map((c) => c.hash).filter((h) => !missing.has(h)));
}

/**
 * Runs the CLI until it finishes, SIGKILLing the first KILLED_RUNS runs after a random number (up to
 * `most`) of output lines: while hashing, starting, sending, fetching or committing, wherever that falls.
 */
async function runWithKills(args: string[], most: number, beforeRerun: () => Promise<void>) {
  const runs: { run: CliRun; log: LogEntry[] }[] = [];
  for (let i = 0; ; i++) {
    if (i > 0) await beforeRerun();
    const from = proxy.log.length;
    const killAfter = 1 + Math.floor(random() * most);
    const run = await runCli({ args, proxyUrl: proxy.url, killWhen: i < KILLED_RUNS ? (lines) => lines.length >= killAfter : undefined });
    runs.push({ run, log: proxy.log.slice(from) });
    process.stdout.write(`${args.includes('put') ? 'upload' : 'download'} run ${i + 1}: ${run.killed ? `killed after ${killAfter} lines (the last ${run.lines.at(-1)?.type})` : 'finished'}, ${proxy.log.length - from} requests\n`);
    if (!run.killed) return runs;
  }
}

describe('the CLI killed with SIGKILL, then run again', () => {
  test(
    'an upload resumes without resending a chunk that was registered or confirmed; a download resumes without refetching what it wrote',
    async () => {
      // Prepare
      const source = await randomFile(40 * MiB);
      const manifest = await buildManifest(createReadStream(source), { createSha256: nodeSha256 });
      const remote = '/kill/upload.bin';
      const uploader = await cliDevice('killed-uploader');
      const downloader = await cliDevice('killed-downloader');
      const dest = join(await mkdtemp(join(tmpdir(), 'tote-kill-')), 'copy.bin');
      const registeredAtRerun: Set<string>[] = [];

      // Act: upload, killed at random points, rerun until done
      // Lines of an upload: hashing (start, progress, done) and upload.start, a chunk each (meanwhile), commit waits, done, result.
      const uploads = await runWithKills(cliArgs(uploader, 'put', source, remote), manifest.chunks.length + 6, async () => {
        registeredAtRerun.push(await registeredOnceSettled(remote, manifest));
      });
      // Act: download, killed at random points, rerun until done
      const downloads = await runWithKills(cliArgs(downloader, 'get', remote, dest), manifest.chunks.length + 1, async () => undefined);

      // Assess: the upload
      const last = uploads[uploads.length - 1].run;
      expect(uploads.slice(0, -1).every((u) => u.run.killed)).toBe(true);
      expect(last.lines.at(-1)).toMatchObject({ type: 'result' });
      for (let i = 1; i < uploads.length; i++) {
        const resent = putsIn(uploads[i].log);
        const confirmedBefore = new Set(uploads.slice(0, i).flatMap((u) => confirmedChunks(u.run.lines)));
        expect(resent.filter((h) => registeredAtRerun[i - 1].has(h))).toEqual([]);
        expect(resent.filter((h) => confirmedBefore.has(h))).toEqual([]);
      }
      const putsOverall = uploads.flatMap((u) => putsIn(u.log));
      expect(new Set(putsOverall)).toEqual(new Set(manifest.chunks.map((c) => c.hash)));

      // Assess: the download
      expect(downloads[downloads.length - 1].run.lines.at(-1)).toMatchObject({ type: 'result' });
      for (let i = 1; i < downloads.length; i++) {
        const writtenBefore = new Set(downloads.slice(0, i).flatMap((d) => writtenChunks(d.run.lines)));
        const fetchedAgain = downloads[i].log.filter((e) => e.method === 'GET' && manifest.chunks.some((c, index) => writtenBefore.has(index) && c.hash === chunkOf(e)));
        expect(fetchedAgain).toEqual([]);
      }
      expect(await sha256File(dest)).toBe(await sha256File(source));
    },
    TEST_TIMEOUT_MS,
  );
});
