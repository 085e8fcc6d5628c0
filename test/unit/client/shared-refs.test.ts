import type { SharedFileEntry } from '@contract/schemas';
import { matchSharedRef, parseSharedRef, sharedRefOf } from '../../../client/src/sharing/refs';
import { isToteError } from '../../../client/src';

const entry = (fileId: string, name: string, ownerEmail: string): SharedFileEntry => ({
  file: {
    fileId,
    ownerId: `owner-of-${ownerEmail}`,
    path: `/somewhere/${name}`,
    name,
    size: 1,
    mimeType: 'application/octet-stream',
    contentHash: '0'.repeat(64),
    revision: 1,
    status: 'uploaded',
    chunkCount: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  owner: { userId: `owner-of-${ownerEmail}`, email: ownerEmail },
  role: 'viewer',
  sharedAt: '2026-01-01T00:00:00.000Z',
});

const entries = [
  entry('a', 'Report.pdf', 'alice@example.com'),
  entry('b', 'report.pdf', 'bob@example.com'),
  entry('c', 'notes.txt', 'bob@example.com'),
  entry('d', 'plan.txt', 'carol@example.com'),
  entry('e', 'plan.txt', 'carol@example.com'),
];

/** The file id a ref resolves to, or the error code it fails with. */
function resolve(ref: string): string {
  try {
    return matchSharedRef(entries, ref).file.fileId;
  } catch (error) {
    if (!isToteError(error)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

describe('shared file references', () => {
  it.each([
    ['shared:notes.txt', 'c'],
    ['shared:NOTES.TXT', 'c'],
    ['shared:alice@example.com/report.pdf', 'a'],
    ['shared:Bob@Example.com/Report.PDF', 'b'],
    ['shared:nothing.txt', 'NOT_FOUND: no file of that name is shared with you (see `tote shared`)'],
    ['shared:carol@example.com/notes.txt', 'NOT_FOUND: no file of that name is shared with you (see `tote shared`)'],
    ['shared:report.pdf', 'USAGE: 2 files shared with you match; name one of: shared:alice@example.com/Report.pdf, shared:bob@example.com/report.pdf'],
    ['shared:carol@example.com/plan.txt', 'USAGE: 2 files shared with you match; name one of: id:d, id:e'],
  ])('%s -> %s', (ref, expected) => {
    expect(resolve(ref)).toBe(expected);
  });

  it('round-trips the name `tote shared` prints', () => {
    expect(sharedRefOf(entries[0])).toBe('shared:alice@example.com/Report.pdf');
    expect(parseSharedRef(sharedRefOf(entries[0]))).toEqual({ name: 'Report.pdf', ownerEmail: 'alice@example.com' });
  });

  it.each(['shared:', 'shared:alice@example.com/', 'shared:/notes.txt'])('refuses the incomplete %j', (ref) => {
    expect(() => parseSharedRef(ref)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
