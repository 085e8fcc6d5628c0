/**
 * The one place that decides who may do what with a file. The owner may do everything; someone the
 * file is shared with may do what their role allows; anyone else is told the file does not exist.
 *
 * | action | owner | editor | viewer | stranger |
 * |--------|-------|--------|--------|----------|
 * | read   | yes   | yes    | yes    | 404      |
 * | write  | yes   | yes    | 403    | 404      |
 * | share  | yes   | 403    | 403    | 404      |
 * | delete | yes   | 403    | 403    | 404      |
 * | move   | yes   | 403    | 403    | 404      |
 *
 * `share` covers sharing, listing collaborators and revoking. A recipient already knows the file
 * exists, so a refused action says so (403 FORBIDDEN); a stranger gets exactly the 404 of an unknown id.
 */
import type { Caller } from '@shared/identity';
import { forbidden, notFound, uploadNotFound } from '@shared/errors';
import type { AnyUploadSession, FileState, ShareRole } from '@repo/items';

export type Action = 'read' | 'write' | 'share' | 'delete' | 'move';

/** The role the caller holds on a file through a share. */
export interface Grant {
  readonly fileId: string;
  readonly role: ShareRole;
}

const ROLE_ACTIONS: Record<ShareRole, readonly Action[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
};

type Guarded = Pick<FileState, 'fileId' | 'ownerId' | 'status'>;

/** The file, if the caller may perform `action` on it; otherwise 404 NOT_FOUND, or 403 FORBIDDEN for a recipient. */
export function authorize<F extends Guarded>(caller: Caller, file: F | undefined, action: Action, grant?: Grant): F {
  if (file === undefined) throw notFound();
  if (file.ownerId === caller.userId) return file;
  // A share ends with its file: a grant on a deleted file is void even before the delete's sweep removes it.
  if (grant === undefined || grant.fileId !== file.fileId || file.status === 'deleted') throw notFound();
  if (!ROLE_ACTIONS[grant.role].includes(action)) throw forbidden(`a ${grant.role} of this file may not ${action} it`);
  return file;
}

/** Where files and the caller's grants are read from. */
export interface AccessDeps {
  readonly files: { getFile(fileId: string): Promise<FileState | undefined> };
  readonly shares: { grantOn(recipientId: string, fileId: string): Promise<Grant | undefined> };
}

/** Reads the file and, unless the caller owns it, the caller's grant on it; then {@link authorize}. */
export async function authorizeFile(deps: AccessDeps, caller: Caller, fileId: string, action: Action): Promise<FileState> {
  const file = await deps.files.getFile(fileId);
  const grant = file === undefined || file.ownerId === caller.userId ? undefined : await deps.shares.grantOn(caller.userId, fileId);
  return authorize(caller, file, action, grant);
}

/** Upload sessions belong to the caller who started them; anyone else gets 404 UPLOAD_NOT_FOUND. */
export function authorizeSession<S extends AnyUploadSession>(caller: Caller, session: S | undefined, uploadId: string): S {
  if (session === undefined || (session.uploaderId ?? session.ownerId) !== caller.userId) throw uploadNotFound(uploadId);
  return session;
}
