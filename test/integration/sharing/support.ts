/**
 * Sharing steps at the HTTP level: share a file, revoke, list; and the fixture most sharing tests
 * start from (an owner's file shared with an editor and a viewer, a stranger beside them).
 */
import type { CollaboratorsResponse, FileMetadata, ListSharedResponse, RevokeResponse, ShareRole } from '@contract/schemas';
import { api, type ApiAnswer } from '../harness/api';
import type { Target } from '../harness/target';
import { testFile, uploadFile } from '../harness/uploads';
import { createUser, type TestUser } from '../harness/users';

/** The id the service names a collaborator of a file by (derived from the file and the address, the same for an invitation and an account). */
export { collaboratorIdOf } from '../../../lambdas/domain/sharing';

export interface Cast {
  readonly owner: TestUser;
  readonly editor: TestUser;
  readonly viewer: TestUser;
  readonly stranger: TestUser;
}

export async function createCast(target: Target): Promise<Cast> {
  const [owner, editor, viewer, stranger] = await Promise.all([1, 2, 3, 4].map(() => createUser(target)));
  return { owner, editor, viewer, stranger };
}

export function share(target: Target, user: TestUser, fileId: string, emails: string[], role: ShareRole): Promise<ApiAnswer<CollaboratorsResponse>> {
  return api<CollaboratorsResponse>(target, 'PUT', `/files/${fileId}/shares`, { token: user.accessToken, body: { emails, role } });
}

export function revoke(target: Target, user: TestUser, fileId: string, collaboratorId: string): Promise<ApiAnswer<RevokeResponse>> {
  return api<RevokeResponse>(target, 'DELETE', `/files/${fileId}/shares/${collaboratorId}`, { token: user.accessToken });
}

/** The file's collaborators as its owner lists them. */
export async function collaboratorsOf(target: Target, owner: TestUser, fileId: string): Promise<CollaboratorsResponse['collaborators']> {
  const answer = await api<CollaboratorsResponse>(target, 'GET', `/files/${fileId}/shares`, { token: owner.accessToken });
  if (answer.status !== 200) throw new Error(`GET /files/${fileId}/shares answered ${answer.status}: ${answer.text}`);
  return answer.json.collaborators;
}

/** Every file shared with the user (all pages). */
export async function sharedWith(target: Target, user: TestUser): Promise<ListSharedResponse['entries']> {
  const entries: ListSharedResponse['entries'] = [];
  let cursor: string | undefined;
  do {
    const page = await api<ListSharedResponse>(target, 'GET', `/shared${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { token: user.accessToken });
    if (page.status !== 200) throw new Error(`GET /shared answered ${page.status}: ${page.text}`);
    entries.push(...page.json.entries);
    cursor = page.json.cursor;
  } while (cursor);
  return entries;
}

/** A file of the owner's at `path` (random content in chunks of `chunkSizes`), shared with the editor and the viewer. */
export async function sharedFile(target: Target, cast: Cast, path: string, chunkSizes: readonly number[] = []): Promise<FileMetadata> {
  const file = await uploadFile(target, cast.owner, testFile(path, chunkSizes));
  for (const [user, role] of [
    [cast.editor, 'editor'],
    [cast.viewer, 'viewer'],
  ] as const) {
    const answer = await share(target, cast.owner, file.fileId, [user.email], role);
    if (answer.status !== 200) throw new Error(`sharing ${path} with the ${role} answered ${answer.status}: ${answer.text}`);
  }
  return file;
}
