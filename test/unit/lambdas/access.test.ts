import './env';
import { authorize, authorizeSession, type Action, type Grant } from '@domain/access';
import { isApiError } from '@shared/errors';
import type { UploadSession } from '@repo/items';
import { EDITOR, FILE_ID, OWNER, STRANGER, VIEWER } from './support';

const live = { fileId: FILE_ID, ownerId: OWNER, status: 'uploaded' as const };
const deleted = { ...live, status: 'deleted' as const };
const grants: Record<string, Grant | undefined> = {
  [OWNER]: undefined,
  [EDITOR]: { fileId: FILE_ID, role: 'editor' },
  [VIEWER]: { fileId: FILE_ID, role: 'viewer' },
  [STRANGER]: undefined,
};

/** What authorize answers: 'ok', or the status of the error it throws. */
function outcome(run: () => unknown): 'ok' | number {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (!isApiError(error)) throw error;
    return error.status;
  }
}

const ACTIONS: Action[] = ['read', 'write', 'share', 'delete', 'move'];
/** The table in access.ts, as data: per caller, the outcome of each action on a live file. */
const EXPECTED: [string, string, ('ok' | number)[]][] = [
  ['owner', OWNER, ['ok', 'ok', 'ok', 'ok', 'ok']],
  ['editor', EDITOR, ['ok', 'ok', 403, 403, 403]],
  ['viewer', VIEWER, ['ok', 403, 403, 403, 403]],
  ['stranger', STRANGER, [404, 404, 404, 404, 404]],
];

describe.each(EXPECTED)('%s', (_name, userId, expected) => {
  it.each(ACTIONS.map((action, i) => [action, expected[i]] as const))('%s on a live file: %s', (action, want) => {
    expect(outcome(() => authorize({ userId }, live, action, grants[userId]))).toBe(want);
  });
});

describe('grants', () => {
  it('end with their file: a recipient of a deleted file gets 404, its owner still sees it', () => {
    expect(outcome(() => authorize({ userId: EDITOR }, deleted, 'read', grants[EDITOR]))).toBe(404);
    expect(outcome(() => authorize({ userId: OWNER }, deleted, 'read'))).toBe('ok');
  });

  it('apply only to the file they name', () => {
    expect(outcome(() => authorize({ userId: EDITOR }, live, 'read', { fileId: 'another', role: 'editor' }))).toBe(404);
  });

  it('never make an unknown id visible', () => {
    expect(outcome(() => authorize({ userId: EDITOR }, undefined, 'read', grants[EDITOR]))).toBe(404);
  });
});

describe('upload sessions', () => {
  const session = { uploadId: 'u', ownerId: OWNER, uploaderId: EDITOR } as UploadSession;

  it("belong to their uploader, even when the chunks go to the owner's namespace", () => {
    expect(outcome(() => authorizeSession({ userId: EDITOR }, session, 'u'))).toBe('ok');
    expect(outcome(() => authorizeSession({ userId: OWNER }, session, 'u'))).toBe(404);
    expect(outcome(() => authorizeSession({ userId: OWNER }, { ...session, uploaderId: undefined }, 'u'))).toBe('ok');
  });
});
