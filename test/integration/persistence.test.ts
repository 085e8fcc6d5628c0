/**
 * The local runtime keeps its data across restarts (users, tables, objects, signing key) and a stop
 * leaves no process behind. These tests start runtimes of their own in a fresh data dir, so they only
 * run where the suite targets the local runtime.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DownloadResponse, FileMetadata } from '@contract/schemas';
import { api } from './harness/api';
import { startRuntimeProcess } from './harness/runtime-process';
import { targetOf } from './harness/target';
import { TARGET_ENV } from './harness/target-env';
import { RESTART_TEST_TIMEOUT_MS } from './harness/timeouts';
import { testFile, uploadFile } from './harness/uploads';
import { createUser, signIn } from './harness/users';

const localOnly = process.env[TARGET_ENV.localRuntime] ? describe : describe.skip;

/** PIDs of a process's direct children, from /proc (Linux). */
function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

/**
 * Whether a process still runs. A zombie has ended: esbuild's service child (tsx's, in the runtime)
 * exits with the runtime, and where PID 1 does not reap orphans (this sandbox) it stays a zombie.
 */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z /.test(stat);
};

/**
 * The children still running a short while after their parent stopped, by command line: a child given
 * SIGTERM may still be exiting when the runtime's own exit is seen, but one left running is a leak.
 */
async function allEnded(pids: readonly number[]): Promise<string[]> {
  const deadline = Date.now() + CHILD_EXIT_GRACE_MS;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left.map((pid) => `${pid} ${commandOf(pid)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How long a child that got SIGTERM with its parent may take to be gone. */
const CHILD_EXIT_GRACE_MS = 10_000;

const commandOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
};

localOnly('restarting the local runtime', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-restart-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('keeps users, files and chunk bytes, and each stop ends every child process', async () => {
    // Prepare: a user and a file on a first runtime, then a clean stop
    const first = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'first.log'), dynamoDbStore: 'disk' });
    const children = childPids(first.pid);
    const target1 = targetOf(first.info);
    const user = await createUser(target1);
    const file = testFile('/kept/notes.txt', [5000]);
    const meta = await uploadFile(target1, user, file);
    expect(await first.stop()).toBe(0);
    await expect(allEnded(children)).resolves.toEqual([]);

    // Act: a second runtime on the same data dir (other ports: they are picked afresh)
    const second = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'second.log'), dynamoDbStore: 'disk' });
    try {
      const target2 = targetOf(second.info);
      const tokens = await signIn(target2, user.email, user.password);
      const metadata = await api<FileMetadata>(target2, 'GET', `/files/${meta.fileId}`, { token: tokens.accessToken });
      const download = await api<DownloadResponse>(target2, 'GET', `/files/${meta.fileId}/download`, { token: tokens.accessToken });
      const bytes = Buffer.from(await (await fetch(download.json.chunks[0].url)).arrayBuffer());

      // Assess
      expect(second.info.userPoolId).toBe(first.info.userPoolId);
      expect(metadata.status).toBe(200);
      expect(metadata.json).toMatchObject({ fileId: meta.fileId, contentHash: file.contentHash });
      expect(bytes.equals(file.bytes)).toBe(true);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, RESTART_TEST_TIMEOUT_MS);
});
