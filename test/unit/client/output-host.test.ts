import { ToteError } from '../../../client/src/core/errors';
import type { ToteEvent } from '../../../client/src/events';
import { formatBytes, formatFailure, formatWhen } from '../../../client/src/cli/output/format';
import { JsonLinesHost } from '../../../client/src/cli/output/json-host';
import { TextHost } from '../../../client/src/cli/output/text-host';

class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l.length > 0);
  }
}

const upload: ToteEvent[] = [
  { type: 'hash.start', localPath: '/tmp/a.bin', size: 10 },
  { type: 'hash.done', localPath: '/tmp/a.bin', chunks: 1, cached: false },
  { type: 'upload.start', localPath: '/tmp/a.bin', remotePath: '/a.bin', uploadId: 'u', size: 10 },
  { type: 'upload.chunk', remotePath: '/a.bin', hash: 'h'.repeat(64), bytes: 10, outcome: 'sent' },
  { type: 'retry', operation: 'commitUpload', code: 'UNAVAILABLE', message: 'busy', attempt: 1, delayMs: 100 },
  {
    type: 'upload.done',
    localPath: '/tmp/a.bin',
    remotePath: '/a.bin',
    fileId: 'f',
    revision: 1,
    size: 10,
    bytesSent: 10,
    chunksSent: 1,
    chunksSkipped: 0,
  },
];

describe('JSON lines host', () => {
  it('writes every event as one JSON line, then the result', () => {
    const out = new Capture();
    const host = new JsonLinesHost(out);
    upload.forEach((e) => host.event(e));
    host.result('put', { bytesSent: 10, chunksSent: 1, chunksSkipped: 0 });
    host.close();
    const lines = out.lines().map((l) => JSON.parse(l));
    expect(lines.slice(0, upload.length)).toEqual(upload);
    expect(lines[upload.length]).toEqual({ type: 'result', command: 'put', bytesSent: 10, chunksSent: 1, chunksSkipped: 0 });
    expect(lines).toHaveLength(upload.length + 1);
  });

  it('writes a failure as an error line with its code, subject and details', () => {
    const out = new Capture();
    new JsonLinesHost(out).failure(
      new ToteError('REVISION_CONFLICT', 'stale', { subject: '/a.txt', status: 409, details: { currentRevision: 4 } }),
    );
    expect(JSON.parse(out.lines()[0])).toEqual({
      type: 'error',
      code: 'REVISION_CONFLICT',
      message: 'stale',
      subject: '/a.txt',
      status: 409,
      details: { currentRevision: 4 },
    });
  });
});

describe('text host', () => {
  it('stays quiet about progress when not on a terminal, and prints the result lines', () => {
    const out = new Capture();
    const err = new Capture();
    const host = new TextHost(out, err, false);
    upload.forEach((e) => host.event(e));
    host.result('put', {}, ['Put /a.bin (10 B).']);
    host.close();
    expect(out.lines()).toEqual(['Put /a.bin (10 B).']);
    expect(err.text).toBe('');
  });

  it('always reports warnings on stderr', () => {
    const err = new Capture();
    const host = new TextHost(new Capture(), err, false);
    host.event({ type: 'warning', code: 'LOCAL_IO', message: 'skipped: a symbolic link', subject: '/tmp/link' });
    expect(err.lines()).toEqual(['tote: warning: /tmp/link: skipped: a symbolic link']);
  });

  it('prints a failure as one line naming the subject and code', () => {
    const err = new Capture();
    new TextHost(new Capture(), err, false).failure(new ToteError('NOT_FOUND', 'not found', { subject: '/a.txt' }));
    expect(err.lines()).toEqual(['tote: /a.txt: not found (NOT_FOUND)']);
  });

  it('draws progress on a terminal and clears it before the result', () => {
    const out = new Capture(true);
    const err = new Capture(true);
    const host = new TextHost(out, err, true);
    upload.forEach((e) => host.event(e));
    host.result('put', {}, ['done']);
    expect(out.lines()).toEqual(['done']);
    expect(err.text).toContain('retrying commitUpload');
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [5 * 1024 * 1024, '5.00 MiB'],
    [1.5 * 1024 ** 3, '1.50 GiB'],
    [300 * 1024 ** 3, '300.0 GiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('tells a moment of today by its time, and another day with its date', () => {
    const now = new Date(2026, 11, 6, 15, 0, 0);
    expect(formatWhen(new Date(2026, 11, 6, 9, 41, 33).toISOString(), now)).toBe('09:41:33');
    expect(formatWhen(new Date(2026, 11, 5, 23, 5, 7).toISOString(), now)).toBe('2026-12-05 23:05:07');
  });

  it('adds a hint for failures a person can fix', () => {
    expect(formatFailure(new ToteError('NOT_LOGGED_IN', 'not logged in to http://x'))).toBe(
      'tote: not logged in to http://x; run `tote login <email>` (NOT_LOGGED_IN)',
    );
  });
});
