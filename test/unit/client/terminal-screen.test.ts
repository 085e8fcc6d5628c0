/**
 * What a person sees on a terminal while `tote sync` works: the text host's output is played into a
 * terminal emulator (xterm's, headless), and the screen that remains must hold the messages, whole
 * and in order, and no progress bar once nothing is in flight.
 */
import { Terminal } from '@xterm/headless';
import type { ToteEvent } from '../../../client/src/events';
import { TextHost } from '../../../client/src/cli/output/text-host';

const MiB = 1024 * 1024;
/** Longer than the bar renderer's redraw interval (100 ms), so it redraws between events. */
const REDRAW_MS = 150;
const root = '/home/a/Tote';

class Screen {
  readonly isTTY = true;
  readonly columns = 100;
  readonly rows = 30;
  // convertEol: a terminal's line discipline turns each \n into \r\n on the way out.
  private readonly terminal = new Terminal({ cols: this.columns, rows: this.rows, scrollback: 1000, allowProposedApi: true, convertEol: true });
  private pending = Promise.resolve();

  write(text: string): boolean {
    this.pending = this.pending.then(() => new Promise<void>((resolve) => this.terminal.write(text, resolve)));
    return true;
  }

  // The bar renderer asks the stream for these (readline cursor moves need nothing else).
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }

  /** Every line of the scrollback and the screen, without trailing blanks. */
  async lines(): Promise<string[]> {
    await this.pending;
    const buffer = this.terminal.buffer.active;
    const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const status = (state: 'syncing' | 'up-to-date', pending: number): ToteEvent => ({ type: 'sync.status', root, state, pending });
const pass = (operations: number): ToteEvent => ({ type: 'sync.pass', root, pulled: 1, operations, deferred: 0, durationMs: 5 });
const downloadStart = (path: string, size: number): ToteEvent => ({
  type: 'download.start',
  remotePath: path,
  localPath: `${root}${path}`,
  fileId: path,
  revision: 1,
  size,
  chunks: 4,
});
const downloadChunk = (path: string, bytes: number): ToteEvent => ({ type: 'download.chunk', remotePath: path, index: 0, bytes, source: 'network' });

test('a sync session leaves its messages whole and in order, and no bar behind', async () => {
  // Prepare: a daemon's passes: a download that fails half-way and succeeds on the next pass, a file
  // hashed but then skipped (it changed), and status lines printed while bars are up
  const screen = new Screen();
  const host = new TextHost({ write: () => true }, screen, true);
  const session: (ToteEvent | number)[] = [
    status('syncing', 2),
    downloadStart('/videos/a.bin', 8 * MiB),
    downloadChunk('/videos/a.bin', 2 * MiB),
    REDRAW_MS,
    { type: 'hash.start', localPath: `${root}/notes.txt`, size: 4 * MiB },
    REDRAW_MS,
    { type: 'sync.error', root, path: 'videos/a.bin', code: 'NETWORK', message: 'connection reset', retryInMs: 1000 },
    { type: 'sync.op', root, op: 'edit', side: 'remote', path: 'notes.txt', outcome: 'skipped' },
    pass(0),
    REDRAW_MS,
    status('syncing', 1),
    downloadStart('/videos/a.bin', 8 * MiB),
    downloadChunk('/videos/a.bin', 4 * MiB),
    REDRAW_MS,
    status('syncing', 1),
    downloadChunk('/videos/a.bin', 4 * MiB),
    { type: 'download.done', remotePath: '/videos/a.bin', localPath: `${root}/videos/a.bin`, size: 8 * MiB, bytesReceived: 8 * MiB, chunksFetched: 4, chunksReused: 0 },
    { type: 'sync.op', root, op: 'add', side: 'local', path: 'videos/a.bin', outcome: 'done' },
    pass(1),
    status('up-to-date', 0),
    REDRAW_MS,
  ];

  // Act
  for (const step of session) {
    if (typeof step === 'number') await wait(step);
    else host.event(step);
  }
  host.close();

  // Assess
  expect(await screen.lines()).toEqual([
    'tote sync: status syncing, 2 pending',
    'tote sync: error videos/a.bin: connection reset (NETWORK)',
    'tote sync: status syncing, 1 pending',
    'tote sync: status syncing, 1 pending',
    'tote sync: add local videos/a.bin',
    'tote sync: status up-to-date',
  ]);
});

test('bars are drawn while a transfer runs, and taken down when it ends', async () => {
  // Prepare
  const screen = new Screen();
  const host = new TextHost({ write: () => true }, screen, true);

  // Act
  host.event(downloadStart('/big.bin', 8 * MiB));
  host.event(downloadChunk('/big.bin', 4 * MiB));
  await wait(REDRAW_MS);
  const during = await screen.lines();
  host.event({ type: 'download.done', remotePath: '/big.bin', localPath: '/tmp/big.bin', size: 8 * MiB, bytesReceived: 8 * MiB, chunksFetched: 4, chunksReused: 0 });
  host.result('get', {}, []);

  // Assess
  expect(during).toEqual([expect.stringMatching(/^get \/big\.bin \|=+-+\| 50% 4\.00 MiB\/8\.00 MiB .*\/s ETA/)]);
  expect(await screen.lines()).toEqual([]);
});
