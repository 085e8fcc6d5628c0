import type { FileIdentity } from '../../../../client/src/localfs/identity';
import type { LocalFile, RemoteFile, SyncedFile } from '../../../../client/src/sync/model';
import type { Operation } from '../../../../client/src/sync/operations';
import { conflictedCopyName, relKey } from '../../../../client/src/sync/paths';
import { plan } from '../../../../client/src/sync/planner';

const identity = (inode: number, mtime = 1_000n): FileIdentity => ({ size: 1, mtimeNs: mtime, ctimeNs: mtime, inode: BigInt(inode), device: 7n });
const synced = (rel: string, fileId: string, revision: number, hash: string, inode: number): SyncedFile => ({
  fileId,
  rel,
  key: relKey(rel),
  revision,
  hash,
  size: 1,
  identity: identity(inode),
});
/** A local file; without `hash` and with the synced identity it is unchanged, with a new mtime it was rewritten. */
const local = (rel: string, inode: number, hash?: string, mtime?: bigint): LocalFile => ({ rel, key: relKey(rel), identity: identity(inode, mtime), ...(hash ? { hash } : {}) });
const remote = (rel: string, fileId: string, revision: number, hash: string): RemoteFile => ({ fileId, rel, key: relKey(rel), revision, hash, size: 1 });

const EDITED = 2_000n;
const DAY = new Date('2026-01-02T10:00:00Z');

/** An operation in one line: what, where, and the revision or reason that matters. */
function line(op: Operation): string {
  switch (op.type) {
    case 'move':
      return `move ${op.side} ${op.from} -> ${op.to}${op.side === 'local' ? ` (${op.reason}${op.forget ? `, forget ${op.forget}` : ''})` : ` @${op.expectedRevision}`}`;
    case 'record':
      return `record ${op.record.fileId} at ${op.record.rel} r${op.record.revision}`;
    case 'forget':
      return `forget ${op.fileId}`;
    case 'moveFolder':
      return `move folder ${op.side} ${op.from}/ -> ${op.to}/ (${op.files.map((f) => f.fileId).join(' ')})`;
    case 'add':
      return op.side === 'remote' ? `add remote ${op.rel}${op.replaces ? ` replacing ${op.replaces}` : ''}` : `add local ${op.rel} r${op.file.revision}`;
    case 'edit':
      return op.side === 'remote' ? `edit remote ${op.rel} @${op.expectedRevision}` : `edit local ${op.rel} to r${op.file.revision} (as ${op.record.rel})`;
    case 'delete':
      return op.side === 'remote' ? `delete remote ${op.rel} @${op.expectedRevision}` : `delete local ${op.rel}`;
  }
}

interface Case {
  readonly synced?: SyncedFile[];
  readonly local?: LocalFile[];
  readonly remote?: RemoteFile[];
  /** Folders (and files) outside the synced set, and those the scan could not see. */
  readonly ignored?: string[];
  readonly unseen?: string[];
  /** Paths of synced files missing here whose folder changed within the settle time. */
  readonly unsettled?: string[];
  readonly operations: string[];
  readonly deferred?: string[];
  /** File ids leaving the synced set. */
  readonly leaving?: string[];
}

const within = (paths: readonly string[] = []) => (rel: string) => paths.some((p) => rel === p || rel.startsWith(`${p}/`));

const CASES: Record<string, Case> = {
  'a new local file is uploaded': { local: [local('a.txt', 1, 'h1')], operations: ['add remote a.txt'] },
  'a new remote file is downloaded': { remote: [remote('a.txt', 'f1', 1, 'h1')], operations: ['add local a.txt r1'] },
  'new on both sides with the same content: linked (as the remote spells it), nothing travels': {
    local: [local('A.txt', 1, 'h1')],
    remote: [remote('a.txt', 'f1', 3, 'h1')],
    operations: ['record f1 at a.txt r3'],
  },
  'linked under the remote spelling, a local name in another case is then sent as a rename': {
    synced: [synced('a.txt', 'f1', 3, 'h1', 1)],
    local: [local('A.txt', 1)],
    remote: [remote('a.txt', 'f1', 3, 'h1')],
    operations: ['move remote a.txt -> A.txt @3'],
  },
  'new on both sides with different content: the local one becomes a conflicted copy': {
    local: [local('a.txt', 1, 'mine')],
    remote: [remote('a.txt', 'f1', 1, 'theirs')],
    operations: ['move local a.txt -> a (conflicted copy dev 2026-01-02).txt (conflict)'],
  },
  'unchanged on both sides: nothing': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: [],
  },
  'edited here: uploaded as the next revision': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1, 'h2', EDITED)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['edit remote a.txt @2'],
  },
  'touched but not changed: nothing travels': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1, 'h1', EDITED)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: [],
  },
  'edited there: downloaded over the unchanged local file': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    remote: [remote('a.txt', 'f1', 3, 'h2')],
    operations: ['edit local a.txt to r3 (as a.txt)'],
  },
  'deleted here: deleted there, at the revision seen': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['delete remote a.txt @2'],
  },
  'deleted there: deleted here': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    operations: ['delete local a.txt'],
  },
  'renamed here (same inode): a remote move, not a delete and an upload': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('docs/b.txt', 1)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['move remote a.txt -> docs/b.txt @2'],
  },
  'moved here through a copy (new inode, same content): a remote move': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('b.txt', 9, 'h1', EDITED)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['move remote a.txt -> b.txt @2'],
  },
  'a reused inode with other content is not a move': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('b.txt', 1, 'other', EDITED)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['delete remote a.txt @2', 'add remote b.txt'],
  },
  'renamed there: renamed here': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    remote: [remote('Docs/A.txt', 'f1', 3, 'h1')],
    operations: ['move local a.txt -> Docs/A.txt (remote)'],
  },
  'edited on both sides: the local bytes become a conflicted copy, the remote keeps the name': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1, 'mine', EDITED)],
    remote: [remote('a.txt', 'f1', 3, 'theirs')],
    operations: ['move local a.txt -> a (conflicted copy dev 2026-01-02).txt (conflict, forget f1)'],
  },
  'edited here, deleted there: uploaded again as a new file': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1, 'mine', EDITED)],
    operations: ['add remote a.txt replacing f1'],
  },
  'deleted here, edited there: downloaded again': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    remote: [remote('a.txt', 'f1', 3, 'theirs')],
    operations: ['add local a.txt r3'],
  },
  'moved here, edited there: the new content comes to the new place first': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('b.txt', 1)],
    remote: [remote('a.txt', 'f1', 3, 'theirs')],
    operations: ['edit local b.txt to r3 (as a.txt)'],
  },
  'a file still being written waits': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1, undefined, EDITED), local('new.bin', 5)],
    remote: [remote('a.txt', 'f1', 3, 'theirs')],
    operations: [],
    deferred: ['a.txt', 'new.bin'],
  },
  'two local names differing only in case: the second is renamed aside': {
    local: [local('Same.txt', 1, 'upper'), local('same.txt', 2, 'lower')],
    operations: ['move local same.txt -> same (case conflict).txt (case-clash)', 'add remote Same.txt'],
  },
  'a remote move onto a name a new local file took: the local file steps aside, the move waits': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1), local('b.txt', 2, 'new here')],
    remote: [remote('b.txt', 'f1', 3, 'h1')],
    operations: ['move local b.txt -> b (conflicted copy dev 2026-01-02).txt (conflict)'],
    deferred: ['a.txt'],
  },
  'a new remote file at a name a synced file is leaving waits for it to leave': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    remote: [remote('b.txt', 'f1', 3, 'h1'), remote('a.txt', 'f2', 1, 'h2')],
    operations: ['move local a.txt -> b.txt (remote)'],
    deferred: ['a.txt'],
  },
  'moved the same way on both sides and edited here: only the record follows, the edit goes up next pass': {
    synced: [synced('f4.txt', 'f1', 2, 'h1', 1)],
    local: [local('F4.TXT', 1, 'edited', EDITED)],
    remote: [remote('F4.TXT', 'f1', 3, 'h1')],
    operations: ['record f1 at F4.TXT r3'],
  },
  // The synced set: a missing file becomes a remote delete only while it is in it, was seen missing, and has stayed missing.
  'a synced file that becomes ignored leaves the synced set: deleted here meanwhile, nothing is deleted there': {
    synced: [synced('keep/k.txt', 'f1', 2, 'h1', 1), synced('other.txt', 'f2', 1, 'h2', 2)],
    local: [local('other.txt', 2)],
    remote: [remote('keep/k.txt', 'f1', 2, 'h1'), remote('other.txt', 'f2', 1, 'h2')],
    ignored: ['keep'],
    operations: [],
    leaving: ['f1'],
  },
  'ignored and edited here, edited there: neither side is touched': {
    synced: [synced('keep/k.txt', 'f1', 2, 'h1', 1)],
    local: [local('keep/k.txt', 1, 'mine', EDITED)],
    remote: [remote('keep/k.txt', 'f1', 3, 'theirs')],
    ignored: ['keep'],
    operations: [],
    leaving: ['f1'],
  },
  'un-ignored after it was deleted here: downloaded like a new remote file': {
    remote: [remote('keep/k.txt', 'f1', 2, 'h1')],
    operations: ['add local keep/k.txt r2'],
  },
  'un-ignored with the same content here: linked, nothing travels': {
    local: [local('keep/k.txt', 1, 'h1')],
    remote: [remote('keep/k.txt', 'f1', 2, 'h1')],
    operations: ['record f1 at keep/k.txt r2'],
  },
  'un-ignored with other content here: both kept, the local one as a conflicted copy': {
    local: [local('keep/k.txt', 1, 'mine')],
    remote: [remote('keep/k.txt', 'f1', 3, 'theirs')],
    operations: ['move local keep/k.txt -> keep/k (conflicted copy dev 2026-01-02).txt (conflict)'],
  },
  'a new local file in an ignored folder is not uploaded, nor a remote one there downloaded': {
    local: [local('build/out.o', 1, 'obj')],
    remote: [remote('build/other.o', 'f1', 1, 'h1')],
    ignored: ['build'],
    operations: [],
  },
  'a synced file in a folder the scan could not read is left as it is on both sides': {
    synced: [synced('locked/a.txt', 'f1', 2, 'h1', 1)],
    remote: [remote('locked/a.txt', 'f1', 3, 'theirs'), remote('locked/new.txt', 'f2', 1, 'h2')],
    unseen: ['locked'],
    operations: [],
  },
  'a synced file replaced by a link (unseen) is not deleted there, even moved there': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    remote: [remote('elsewhere/a.txt', 'f1', 3, 'h1')],
    unseen: ['a.txt'],
    operations: [],
  },
  'missing here while its folder is still changing: the delete waits': {
    synced: [synced('docs/a.txt', 'f1', 2, 'h1', 1)],
    remote: [remote('docs/a.txt', 'f1', 2, 'h1')],
    unsettled: ['docs/a.txt'],
    operations: [],
    deferred: ['docs/a.txt'],
  },
  'missing here, deleted there too: forgotten at once': {
    synced: [synced('docs/a.txt', 'f1', 2, 'h1', 1)],
    unsettled: ['docs/a.txt'],
    operations: ['forget f1'],
  },
  'an own file moved into the shared folder here is not moved there remotely: it stays here, the remote one comes back': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('Shared with me/someone@example.com/a.txt', 1)],
    remote: [remote('a.txt', 'f1', 2, 'h1')],
    operations: ['forget f1'],
  },
  'ignores a revision without a visible change, but remembers it': {
    synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
    local: [local('a.txt', 1)],
    remote: [remote('a.txt', 'f1', 4, 'h1')],
    operations: ['record f1 at a.txt r4'],
  },
};

describe('plan', () => {
  it.each(Object.entries(CASES))('%s', (_, c) => {
    // Act
    const result = plan({
      synced: c.synced ?? [],
      local: c.local ?? [],
      remote: c.remote ?? [],
      conflictName: (rel, taken) => conflictedCopyName(rel, 'dev', DAY, taken),
      ignored: within(c.ignored),
      unseen: within(c.unseen),
      goneSettled: (rel) => !(c.unsettled ?? []).includes(rel),
    });
    // Assess
    expect(result.operations.map(line)).toEqual(c.operations);
    expect(result.deferred).toEqual(c.deferred ?? []);
    expect(result.leaving).toEqual(c.leaving ?? []);
  });

  it('names a second conflicted copy of the same day with a number', () => {
    // Act
    const result = plan({
      synced: [synced('a.txt', 'f1', 2, 'h1', 1)],
      local: [local('a.txt', 1, 'mine', EDITED), local('a (conflicted copy dev 2026-01-02).txt', 3, 'older copy')],
      remote: [remote('a.txt', 'f1', 3, 'theirs'), remote('a (conflicted copy dev 2026-01-02).txt', 'f9', 1, 'older copy')],
      conflictName: (rel, taken) => conflictedCopyName(rel, 'dev', DAY, taken),
    });
    // Assess
    expect(result.operations.map(line)).toContain('move local a.txt -> a (conflicted copy dev 2026-01-02 2).txt (conflict, forget f1)');
  });
});

describe('plan, moves waiting on each other', () => {
  const conflictName = (rel: string, taken: (key: string) => boolean) => conflictedCopyName(rel, 'dev', DAY, taken);

  it('takes a swap of two names made here as two edits in place (a name keeps its file id; the chunks are already stored)', () => {
    // Act: a.txt and b.txt swapped names locally
    const result = plan({
      synced: [synced('a.txt', 'f1', 1, 'h1', 1), synced('b.txt', 'f2', 1, 'h2', 2)],
      local: [local('b.txt', 1, 'h1'), local('a.txt', 2, 'h2')],
      remote: [remote('a.txt', 'f1', 1, 'h1'), remote('b.txt', 'f2', 1, 'h2')],
      conflictName,
    });
    // Assess
    expect(result.operations.map(line)).toEqual(['edit remote a.txt @1', 'edit remote b.txt @1']);
  });

  it('breaks a swap of two names made there with a detour through a temporary name here', () => {
    // Act
    const result = plan({
      synced: [synced('a.txt', 'f1', 1, 'h1', 1), synced('b.txt', 'f2', 1, 'h2', 2)],
      local: [local('a.txt', 1), local('b.txt', 2)],
      remote: [remote('b.txt', 'f1', 2, 'h1'), remote('a.txt', 'f2', 2, 'h2')],
      conflictName,
    });
    // Assess
    expect(result.operations.map(line)).toEqual(['move local a.txt -> a (moving).txt (remote)']);
  });
});

describe('plan, at scale', () => {
  /** A tree of n synced files, 1 in 20 moved locally and as many deleted; the plan and its CPU time (best of 3). */
  function planAtScale(n: number) {
    const files = Array.from({ length: n }, (_, i) => ({ rel: `d${i % 100}/f${i}.txt`, fileId: `f${i}`, hash: i % 3 === 0 ? 'same' : `h${i}` }));
    const syncedFiles = files.map((f, i) => synced(f.rel, f.fileId, 1, f.hash, i + 1));
    const remoteFiles = files.map((f) => remote(f.rel, f.fileId, 1, f.hash));
    const localFiles = files.flatMap((f, i) => (i % 20 === 1 ? [] : [local(i % 20 === 0 ? `moved/${f.rel}` : f.rel, i + 1)]));
    let best = Infinity;
    let result: ReturnType<typeof plan> | undefined;
    for (let round = 0; round < 3; round++) {
      const before = process.cpuUsage();
      result = plan({ synced: syncedFiles, local: localFiles, remote: remoteFiles, conflictName: (rel, taken) => conflictedCopyName(rel, 'dev', DAY, taken) });
      const used = process.cpuUsage(before);
      best = Math.min(best, used.user + used.system);
    }
    return { result: result as ReturnType<typeof plan>, cpuMicros: best };
  }

  it('plans 20,000 files, a thousand of them moved and as many deleted, without quadratic matching', () => {
    // Act: the same tree at a quarter of the size and whole; CPU time, so a busy machine slows both alike
    const quarter = planAtScale(5_000);
    const whole = planAtScale(20_000);

    // Assess: linear work grows 4x; quadratic matching would grow 16x
    // (folders whose files all moved go as one folder move: d0, d20, ... hold only moved files)
    expect(whole.result.operations.flatMap((op) => (op.type === 'move' ? [op.to] : op.type === 'moveFolder' ? op.files.map((f) => f.to) : []))).toHaveLength(1_000);
    expect(whole.result.operations.filter((op) => op.type === 'delete')).toHaveLength(1_000);
    expect(whole.cpuMicros / quarter.cpuMicros).toBeLessThan(8);
  });
});
