/** The planner's whole-folder moves (folder-moves.ts): when a folder's files all moved on one side, one operation; otherwise per-file moves. */
import type { FileIdentity } from '../../../../client/src/localfs/identity';
import type { LocalFile, RemoteFile, SyncedFile } from '../../../../client/src/sync/model';
import type { Operation } from '../../../../client/src/sync/operations';
import { conflictedCopyName, relKey } from '../../../../client/src/sync/paths';
import { plan, type PlanInput } from '../../../../client/src/sync/planner';

const identity = (inode: number): FileIdentity => ({ size: 1, mtimeNs: 1_000n, ctimeNs: 1_000n, inode: BigInt(inode), device: 7n });
const synced = (rel: string, n: number, revision = 1): SyncedFile => ({ fileId: `f${n}`, rel, key: relKey(rel), revision, hash: `h${n}`, size: 1, identity: identity(n) });
const local = (rel: string, n: number, hash?: string): LocalFile => ({ rel, key: relKey(rel), identity: identity(n), ...(hash ? { hash } : {}) });
const remote = (rel: string, n: number, revision = 1, hash = `h${n}`): RemoteFile => ({ fileId: `f${n}`, rel, key: relKey(rel), revision, hash, size: 1 });

/** The plan in lines: a folder move names its files and what each becomes. */
function lines(input: Omit<PlanInput, 'conflictName'>): string[] {
  const result = plan({ ...input, conflictName: (rel, taken) => conflictedCopyName(rel, 'dev', new Date('2026-01-02T00:00:00Z'), taken) });
  return result.operations.map((op: Operation) => {
    if (op.type === 'moveFolder') return `folder ${op.side} ${op.from} -> ${op.to}: ${op.files.map((f) => `${f.fileId} ${f.to} r${f.record.revision}`).join(', ')}`;
    if (op.type === 'move') return `move ${op.side} ${op.from} -> ${op.to}`;
    if (op.type === 'record') return `record ${op.record.fileId} at ${op.record.rel}`;
    return `${op.type} ${op.side}`;
  });
}

/** Synced files `n` under `folder` at `rels`, the same on the service. */
const tree = (folder: string, rels: readonly string[]) => rels.map((rel, i) => ({ rel: `${folder}/${rel}`, n: i + 1 }));
const FILES = ['a.txt', 'sub/b.txt', 'sub/deep/c.txt'];

describe('folder moves in a plan', () => {
  test('a folder renamed here is one remote folder move carrying every file', () => {
    const t = tree('docs', FILES);
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)), local: t.map((f) => local(f.rel.replace('docs/', 'papers/'), f.n)) })).toEqual([
      'folder remote docs -> papers: f1 papers/a.txt r1, f2 papers/sub/b.txt r1, f3 papers/sub/deep/c.txt r1',
    ]);
  });

  test('a folder moved into another here keeps its name: the outermost folder that moved whole is the one moved', () => {
    const t = tree('docs', FILES);
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)), local: t.map((f) => local(`archive/${f.rel}`, f.n)) })).toEqual([
      'folder remote docs -> archive/docs: f1 archive/docs/a.txt r1, f2 archive/docs/sub/b.txt r1, f3 archive/docs/sub/deep/c.txt r1',
    ]);
  });

  test('a subfolder renamed here is moved alone; its siblings stay', () => {
    const t = tree('docs', FILES);
    const moved = (rel: string) => rel.replace('docs/sub/', 'docs/part/');
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)), local: t.map((f) => local(moved(f.rel), f.n)) })).toEqual([
      'folder remote docs/sub -> docs/part: f2 docs/part/b.txt r1, f3 docs/part/deep/c.txt r1',
    ]);
  });

  test('a folder renamed remotely is one local folder move, recorded at the revisions the service gave', () => {
    const t = tree('docs', FILES);
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), local: t.map((f) => local(f.rel, f.n)), remote: t.map((f) => remote(f.rel.replace('docs/', 'papers/'), f.n, 2)) })).toEqual([
      'folder local docs -> papers: f1 papers/a.txt r2, f2 papers/sub/b.txt r2, f3 papers/sub/deep/c.txt r2',
    ]);
  });

  test('a file also edited remotely moves with the folder at its synced revision, so its content comes down next', () => {
    const t = tree('docs', FILES);
    const remoteFiles = t.map((f) => remote(f.rel.replace('docs/', 'papers/'), f.n, f.n === 1 ? 3 : 2, f.n === 1 ? 'new' : `h${f.n}`));
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), local: t.map((f) => local(f.rel, f.n)), remote: remoteFiles })).toEqual([
      'folder local docs -> papers: f1 papers/a.txt r1, f2 papers/sub/b.txt r2, f3 papers/sub/deep/c.txt r2',
    ]);
  });

  test('only some files of the folder moved here: per-file moves', () => {
    const t = tree('docs', FILES);
    const local_ = t.map((f) => local(f.n === 1 ? f.rel : f.rel.replace('docs/sub/', 'papers/sub/'), f.n));
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)), local: local_ })).toEqual([
      'folder remote docs/sub -> papers/sub: f2 papers/sub/b.txt r1, f3 papers/sub/deep/c.txt r1',
    ]);
  });

  test('the service holds a file under the folder this device has not synced yet: that folder is not moved whole (the service would carry it along)', () => {
    const t = tree('docs', FILES);
    expect(
      lines({
        synced: t.map((f) => synced(f.rel, f.n)),
        remote: [...t.map((f) => remote(f.rel, f.n)), remote('docs/theirs.txt', 9)],
        local: t.map((f) => local(f.rel.replace('docs/', 'papers/'), f.n)),
      }).filter((l) => l.startsWith('folder') || l.startsWith('move')),
    ).toEqual(['folder remote docs/sub -> papers/sub: f2 papers/sub/b.txt r1, f3 papers/sub/deep/c.txt r1', 'move remote docs/a.txt -> papers/a.txt']);
  });

  test('the destination holds a remote file: per-file moves', () => {
    const t = tree('docs', ['a.txt']);
    expect(
      lines({ synced: t.map((f) => synced(f.rel, f.n)), remote: [...t.map((f) => remote(f.rel, f.n)), remote('papers/other.txt', 9)], local: [local('papers/a.txt', 1), local('papers/other.txt', 9, 'h9')] }),
    ).toEqual(['move remote docs/a.txt -> papers/a.txt', 'record f9 at papers/other.txt']);
  });

  test('a file ignored or unseen under a folder keeps that folder from moving whole', () => {
    const t = tree('docs', FILES);
    const input = { synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)), local: t.map((f) => local(f.rel.replace('docs/', 'papers/'), f.n)) };
    const unseen = lines({ ...input, unseen: (rel: string) => rel.startsWith('docs/sub/deep') });
    const ignored = lines({ ...input, ignored: (rel: string) => rel === 'docs/a.txt' });
    expect(unseen).toEqual(['move remote docs/a.txt -> papers/a.txt', 'move remote docs/sub/b.txt -> papers/sub/b.txt']);
    expect(ignored).toEqual(['folder remote docs/sub -> papers/sub: f2 papers/sub/b.txt r1, f3 papers/sub/deep/c.txt r1']);
  });

  test('a folder remotely renamed while this device added a file to it here: per-file moves (the new file is uploaded where it is)', () => {
    const t = tree('docs', ['a.txt']);
    expect(lines({ synced: t.map((f) => synced(f.rel, f.n)), local: [local('docs/a.txt', 1), local('docs/mine.txt', 9, 'h9')], remote: [remote('papers/a.txt', 1, 2)] })).toEqual([
      'move local docs/a.txt -> papers/a.txt',
      'add remote',
    ]);
  });

  test('a change of case only and a folder move refused before are left to per-file moves', () => {
    const t = tree('docs', ['a.txt']);
    const base = { synced: t.map((f) => synced(f.rel, f.n)), remote: t.map((f) => remote(f.rel, f.n)) };
    expect(lines({ ...base, local: [local('Docs/a.txt', 1)] })).toEqual(['move remote docs/a.txt -> Docs/a.txt']);
    expect(lines({ ...base, local: [local('papers/a.txt', 1)], folderMoveRefused: (side, from, to) => side === 'remote' && from === 'docs' && to === 'papers' })).toEqual([
      'move remote docs/a.txt -> papers/a.txt',
    ]);
  });
});
