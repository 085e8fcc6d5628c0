import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquirePidLock } from '../../../local/process/pid-lock';

let dir: string;
let lock: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-lock-'));
  lock = path.join(dir, 'runtime.pid');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a free data dir is locked and released', () => {
  // Act
  const release = acquirePidLock(lock);

  // Assess
  expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
  release();
  expect(fs.existsSync(lock)).toBe(false);
});

test('a lock held by a live process is refused, naming it', () => {
  // Prepare: our parent is certainly alive
  fs.writeFileSync(lock, String(process.ppid));

  // Act + Assess
  expect(() => acquirePidLock(lock)).toThrow(new RegExp(`another local runtime \\(pid ${process.ppid}\\)`));
});

test('a lock left by a process that is gone is taken over', () => {
  // Prepare: PIDs are below 2^22 on Linux, so this one is not running
  fs.writeFileSync(lock, String(2 ** 22 + 1));

  // Act
  acquirePidLock(lock);

  // Assess
  expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
});
