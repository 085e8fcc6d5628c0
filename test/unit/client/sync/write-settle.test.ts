/**
 * When a changed file counts as written: a one-shot write settles after the minimum quiet; a write
 * that has gone on for a while needs as long a pause (up to the maximum); a fixed --settle applies
 * as given. Times in ms; the file's last change is at 100_000 unless a case says otherwise.
 */
import { ADAPTIVE_SETTLE, WriteSettle, type ChangedFile } from '../../../../client/src/sync/write-settle';

const LAST = 100_000;
const file = (over: Partial<ChangedFile> = {}): ChangedFile => ({ key: 'a.txt', lastChangeMs: LAST, bornMs: 0, ...over });

describe('WriteSettle (adaptive)', () => {
  it.each([
    ['a new file written in one go (born just before its last change)', file({ bornMs: LAST - 5 }), LAST + ADAPTIVE_SETTLE.minMs],
    ['a new file written over 3 s', file({ bornMs: LAST - 3_000 }), LAST + 3_000],
    ['a new file written over a minute: the maximum', file({ bornMs: LAST - 60_000 }), LAST + ADAPTIVE_SETTLE.maxMs],
    ['an edit in place (born long before the synced content): first sight', file({ bornMs: 1_000, syncedMtimeMs: 5_000 }), LAST + ADAPTIVE_SETTLE.minMs],
    ['a file saved by rename over the synced one (born after it)', file({ bornMs: LAST - 2_000, syncedMtimeMs: 5_000 }), LAST + 2_000],
    ['no birth time kept by the file system', file({ bornMs: 0 }), LAST + ADAPTIVE_SETTLE.minMs],
  ])('%s', (_what, changed, expected) => {
    // Act / Assess
    expect(new WriteSettle().settlesAt(changed)).toBe(expected);
  });

  it('makes a write it keeps seeing wait as long as it has been going on, then forgets it once settled', () => {
    // Prepare
    const settle = new WriteSettle();
    const edit = (lastChangeMs: number) => file({ lastChangeMs, bornMs: 1_000, syncedMtimeMs: 5_000 });
    // Act
    settle.stillWriting(edit(10_000));
    settle.stillWriting(edit(12_000));
    const during = settle.settlesAt(edit(14_000));
    settle.settled('a.txt');
    const next = settle.settlesAt(edit(20_000));
    // Assess
    expect(during).toBe(14_000 + 4_000);
    expect(next).toBe(20_000 + ADAPTIVE_SETTLE.minMs);
  });
});

describe('WriteSettle (fixed, --settle)', () => {
  it('needs exactly the given quiet, however the file was written', () => {
    // Prepare
    const settle = new WriteSettle(1_000);
    settle.stillWriting(file({ lastChangeMs: 1_000 }));
    // Act / Assess
    expect(settle.settlesAt(file({ bornMs: LAST - 60_000 }))).toBe(LAST + 1_000);
    expect(settle.minimumMs).toBe(1_000);
    expect(new WriteSettle(0).settlesAt(file())).toBe(LAST);
  });
});
