import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { endLeftovers, recordPid } from '../../../local/process/leftovers';

const onLinux = fs.existsSync('/proc/self/cwd') ? test : test.skip;
let dataDir: string;
let elsewhere: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-leftover-'));
  elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-elsewhere-'));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of [dataDir, elsewhere]) fs.rmSync(dir, { recursive: true, force: true });
});

const sleeper = (cwd: string) => {
  const child = spawn('sleep', ['60'], { cwd, stdio: 'ignore' });
  children.push(child);
  return child;
};
/** Resolves the exit code (null when a signal ended it). */
const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

onLinux('a recorded process still working in the data dir is ended and its record removed', async () => {
  // Prepare
  const run = path.join(dataDir, 'run');
  const child = sleeper(dataDir);
  const gone = exited(child);
  recordPid(path.join(run, 'dynamodb.pid'), child.pid as number);

  // Act
  const ended = await endLeftovers(run, dataDir);

  // Assess
  expect(ended).toEqual([`dynamodb (pid ${child.pid})`]);
  expect(await gone).toBeNull();
  expect(fs.readdirSync(run)).toEqual([]);
});

onLinux('a recorded PID now used by a process working elsewhere is left alone', async () => {
  // Prepare: the PID file names a process that is not ours (as after PID reuse)
  const run = path.join(dataDir, 'run');
  const stranger = sleeper(elsewhere);
  recordPid(path.join(run, 'cognito.pid'), stranger.pid as number);

  // Act
  const ended = await endLeftovers(run, dataDir);

  // Assess
  expect(ended).toEqual([]);
  expect(stranger.exitCode).toBeNull();
  expect(fs.readdirSync(run)).toEqual([]);
});
