/**
 * `tote sync` and `tote status` as a user runs them: daemons in their own processes, one per
 * folder (a second one is refused), reporting through `tote status`, surviving SIGKILL (a restart
 * carries on from the folder's state), stopping cleanly on SIGTERM, logging to <folder>/.tote/sync.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToteClient } from '../../../client/src';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';

const TOTE = join(__dirname, '..', '..', '..', 'client', 'bin', 'tote.cjs');
const WAIT_MS = 30_000;

interface Device {
  readonly folder: string;
  readonly args: string[];
}

let target: Target;
const daemons: ChildProcess[] = [];
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);
afterAll(() => {
  for (const d of daemons) if (d.exitCode === null) d.kill('SIGKILL');
});

async function device(name: string, email: string, password: string): Promise<Device> {
  const home = await mkdtemp(join(tmpdir(), `tote-cli-${name}-`));
  const folder = join(home, 'folder');
  await mkdir(folder);
  const args = ['--endpoint', target.apiUrl, '--config-dir', join(home, 'config'), '--state-dir', join(home, 'state')];
  const client = await createToteClient({ endpoint: target.apiUrl, configDir: join(home, 'config'), stateDir: join(home, 'state') });
  await client.login(email, password);
  client.close();
  return { folder, args };
}

function startDaemon(d: Device): ChildProcess {
  const child = spawn(process.execPath, [TOTE, ...d.args, 'sync', d.folder, '--device', 'cli', '--poll-min', '200', '--poll-max', '1000', '--settle', '100'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemons.push(child);
  return child;
}

function run(d: Device, command: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TOTE, ...d.args, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The folder's entry of `tote status --json`. */
async function statusOf(d: Device): Promise<{ running: boolean; status: { state: string; lastSyncAt?: string; stoppedAt?: string } | null }> {
  const out = await run(d, ['--json', 'status']);
  const result = JSON.parse(out.stdout.trim().split('\n').pop() as string);
  return result.folders.find((f: { root: string }) => f.root === d.folder);
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('tote sync and tote status', () => {
  test(
    'daemons sync two folders, one per folder, report their state, survive SIGKILL and stop on SIGTERM',
    async () => {
      // Prepare
      const user = await createUser(target);
      const [a, b] = [await device('a', user.email, user.password), await device('b', user.email, user.password)];
      let daemonA = startDaemon(a);
      const daemonB = startDaemon(b);
      // Act + Assess: both up to date, and a second daemon on A's folder is refused
      await until('A up to date', async () => ((await statusOf(a))?.status?.state === 'up-to-date' ? true : undefined));
      const second = await run(a, ['sync', a.folder]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/already being synced by process \d+/);

      await writeFile(join(a.folder, 'from-a.txt'), 'hello from A');
      await until('from-a.txt on B', () => readFile(join(b.folder, 'from-a.txt'), 'utf8'));

      daemonA.kill('SIGKILL');
      await exited(daemonA);
      expect(await statusOf(a)).toMatchObject({ running: false });
      const beforeB = new Date().toISOString();
      await writeFile(join(b.folder, 'from-b.txt'), 'hello from B');
      await writeFile(join(a.folder, 'while-down.txt'), 'written while A was down');
      daemonA = startDaemon(a);
      await until('from-b.txt on A', () => readFile(join(a.folder, 'from-b.txt'), 'utf8'));
      await until('while-down.txt on B', () => readFile(join(b.folder, 'while-down.txt'), 'utf8'));
      await until('A up to date', async () => ((await statusOf(a))?.status?.state === 'up-to-date' ? true : undefined));
      // The status tells the time of the pass that brought from-b.txt, although "up to date" did not change.
      const running = await statusOf(a);
      expect(running).toMatchObject({ running: true, status: { state: 'up-to-date' } });
      expect(running.status?.lastSyncAt && running.status.lastSyncAt > beforeB).toBe(true);

      daemonA.kill('SIGTERM');
      daemonB.kill('SIGTERM');
      expect(await Promise.all([exited(daemonA), exited(daemonB)])).toEqual([0, 0]);
      const log = await readFile(join(a.folder, '.tote', 'sync.log'), 'utf8');
      expect(log).toMatch(/add remote from-a\.txt/);
      expect(log).toMatch(/add local from-b\.txt/);
      expect(log).toMatch(/stopped/);
      // B's poll pulled from-a.txt before the pass that downloaded it: the pass's summary counts it.
      expect(await readFile(join(b.folder, '.tote', 'sync.log'), 'utf8')).toMatch(/pass: [1-9]\d* remote change\(s\), [1-9]\d* operation\(s\)/);
      const stopped = await statusOf(a);
      expect(stopped).toMatchObject({ running: false, status: { state: 'up-to-date' } });
      expect(stopped.status?.stoppedAt && stopped.status.stoppedAt >= (stopped.status.lastSyncAt ?? '')).toBe(true);
      const text = await run(a, ['status']);
      const when = '(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d';
      expect(text.stdout).toMatch(new RegExp(`: not running \\(stopped ${when}; last: up to date at ${when}\\)\\n`));
    },
    3 * WAIT_MS + SETUP_TIMEOUT_MS,
  );
});
