/**
 * Ctrl-C in the middle of a transfer: `tote` (a process of its own, as a person runs it) stops at
 * once with exit code 130 and says that running the same command again resumes. Storage answers
 * 503 to every chunk here, so the upload is certainly in flight when the signal comes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTote } from './support/fake-tote';

const LAUNCHER = join(__dirname, '..', '..', '..', 'client', 'bin', 'tote.cjs');
const TIMEOUT_MS = 60_000;
const HINT = 'interrupted; run the same command again to resume (chunks already sent or received are kept)';

let fake: FakeTote;
let root: string;
beforeEach(async () => {
  fake = new FakeTote();
  fake.onPut = () => ({ status: 503 });
  await fake.start();
  root = mkdtempSync(join(tmpdir(), 'tote-interrupt-'));
  fake.signIn(join(root, 'config'));
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
});
afterEach(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `tote put`, sends SIGINT once `inFlight` holds, and answers how it ended. */
function interruptedPut(args: string[], inFlight: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args, 'put', join(root, 'big.bin')], {
      env: { ...process.env, TOTE_ENDPOINT: fake.url, TOTE_CONFIG_DIR: join(root, 'config'), TOTE_STATE_DIR: join(root, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const check = () => {
      if (!sent && inFlight(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    const poll = setInterval(check, 50);
    child.stdout.on('data', (b) => {
      stdout += b;
      check();
    });
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

test(
  'prints how to resume, and exits 130',
  async () => {
    // Act: interrupted once storage has been asked for a chunk
    const ended = await interruptedPut([], () => fake.puts.length > 0);

    // Assess
    expect(ended).toEqual({ code: 130, stdout: '', stderr: `tote: ${HINT} (INTERRUPTED)\n` });
  },
  TIMEOUT_MS,
);

test(
  'ends --json output with an INTERRUPTED error line',
  async () => {
    // Act: interrupted after the first retry of a chunk
    const ended = await interruptedPut(['--json'], (stdout) => stdout.includes('"type":"retry"'));

    // Assess
    const lines = ended.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(ended.code).toBe(130);
    expect(lines[lines.length - 1]).toEqual({ type: 'error', code: 'INTERRUPTED', message: HINT });
  },
  TIMEOUT_MS,
);
