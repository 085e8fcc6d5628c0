/** The CLI end to end in-process: arguments in, exit code and output out (against the fake service). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../../client/src/cli/main';
import { registerFolder, writeStatus } from '../../../client/src/sync/status';
import { FakeTote } from './support/fake-tote';

class Capture {
  text = '';
  readonly isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

let fake: FakeTote;
let root: string;
// The CLI loads the client on first use (so that `tote --help` starts fast); load it here, not in a test's time.
beforeAll(() => import('../../../client/src/cli/runner'), 60_000);
beforeEach(async () => {
  fake = new FakeTote();
  await fake.start();
  root = mkdtempSync(join(tmpdir(), 'tote-cli-'));
  fake.signIn(join(root, 'config'));
});
afterEach(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

async function tote(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env = { TOTE_ENDPOINT: fake.url, TOTE_CONFIG_DIR: join(root, 'config'), TOTE_STATE_DIR: join(root, 'state') };
  const stdin = Readable.from([]) as unknown as NodeJS.ReadStream;
  const code = await run(['node', 'tote', ...args], { stdout, stderr, stdin, env });
  return { code, out: stdout.text, err: stderr.text };
}

describe('tote CLI', () => {
  it('fails with exit 1 and one line naming the problem', async () => {
    expect(await tote('get', '/a.txt')).toEqual({ code: 1, out: '', err: 'tote: /a.txt: not found (NOT_FOUND)\n' });
  });

  it('prints failures as a JSON error line with --json', async () => {
    const { code, out } = await tote('rm', '/a.txt', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ type: 'error', code: 'NOT_FOUND', subject: '/a.txt' });
  });

  it('answers usage errors with exit 2', async () => {
    expect((await tote('put')).code).toBe(2);
    expect((await tote('--concurrency', '0', 'ls')).code).toBe(2);
    expect((await tote('ls', '--endpoint', 'ftp://nope')).code).toBe(2);
  });

  it('puts, lists and reports the bytes sent as JSON', async () => {
    writeFileSync(join(root, 'hello.txt'), 'hello');
    const put = await tote('put', join(root, 'hello.txt'), '/greetings/', '--json');
    expect(put.code).toBe(0);
    const lines = put.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', command: 'put', bytesSent: 5, chunksSent: 1, chunksSkipped: 0 });
    expect(lines.map((l) => l.type)).toEqual(expect.arrayContaining(['hash.start', 'upload.start', 'upload.chunk', 'upload.done']));
    const ls = await tote('ls', '/greetings');
    expect(ls).toMatchObject({ code: 0, err: '' });
    expect(ls.out).toMatch(/5 B .* hello\.txt\n$/);
  });

  it('shows help with exit 0', async () => {
    const { code, out } = await tote('--help');
    expect(code).toBe(0);
    expect(out).toContain('put <local> [remote]');
  });

  it('prints the version from package.json', async () => {
    const { version } = require('../../../package.json') as { version: string };
    expect(await tote('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it("ends a command's help with its examples", async () => {
    const { code, out } = await tote('get', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/Examples:\n {2}\$ tote get \/notes\.txt +# download into the current folder\n/);
  });

  it('says an empty account is empty, and a folder that is not there is not there', async () => {
    expect(await tote('ls')).toEqual({ code: 0, out: 'No files yet. Upload one with `tote put <file>`.\n', err: '' });
    expect(await tote('ls', '/nothing/here')).toEqual({ code: 1, out: '', err: 'tote: /nothing/here: no folder at /nothing/here (NOT_FOUND)\n' });
  });

  it('says a folder is a folder where a file is expected, and gets a folder as a tree', async () => {
    writeFileSync(join(root, 'a.txt'), 'a');
    expect((await tote('put', join(root, 'a.txt'), '/docs/a.txt')).code).toBe(0);
    expect(await tote('rm', '/docs')).toEqual({
      code: 1,
      out: '',
      err: 'tote: /docs: is a folder: `tote rm -r` removes it with everything in it (IS_A_FOLDER)\n',
    });
    // A folder that does not exist here becomes the copy, as cp -r does.
    expect((await tote('get', '/docs', join(root, 'copy'))).code).toBe(0);
    expect(readFileSync(join(root, 'copy', 'a.txt'), 'utf8')).toBe('a');
    expect((await tote('get', '/nope')).err).toBe('tote: /nope: not found (NOT_FOUND)\n');
  });

  it("tells each synced folder's last state and when, and whether its daemon still runs", async () => {
    // Prepare: a daemon that stopped after its last pass, and one that runs (this test's parent process)
    const at = (h: number, m: number, s: number) => new Date(new Date().setHours(h, m, s, 0)).toISOString();
    const [stopped, running] = [join(root, 'stopped'), join(root, 'running')];
    for (const folder of [stopped, running]) mkdirSync(join(folder, '.tote'), { recursive: true });
    const common = { remoteRoot: '/', errors: [], updatedAt: at(9, 45, 2) };
    await writeStatus({ ...common, root: stopped, pid: 2 ** 22 + 1, state: 'up-to-date', pending: 0, lastSyncAt: at(9, 41, 33), stoppedAt: at(9, 45, 2) });
    await writeStatus({ ...common, root: running, pid: process.ppid, state: 'syncing', pending: 2, lastSyncAt: at(9, 44, 10) });
    for (const folder of [stopped, running]) await registerFolder(join(root, 'state'), { root: folder, remoteRoot: '/' });

    // Act
    const { code, out } = await tote('status');

    // Assess
    expect(code).toBe(0);
    expect(out).toBe(
      `${stopped} <-> /: not running (stopped 09:45:02; last: up to date at 09:41:33)\n${running} <-> /: syncing 2 file(s) (last pass 09:44:10)\n`,
    );
  });

  it('says an empty folder has nothing to upload', async () => {
    mkdirSync(join(root, 'empty'));
    expect(await tote('put', join(root, 'empty'))).toEqual({ code: 0, out: `Nothing to upload: ${join(root, 'empty')} is a folder with no files in it.\n`, err: '' });
  });
});
