/**
 * The one place that decides who may do what. Today a namespace's files belong to its owner alone;
 * the sharing work adds viewer/editor grants here (passed in as `grants`) without touching callers.
 * A refusal looks exactly like "no such thing": strangers never learn that an id exists.
 */
import type { Caller } from '@shared/identity';
import { notFound, uploadNotFound } from '@shared/errors';
import type { FileState, UploadSession } from '@repo/items';

export type Action = 'read' | 'write' | 'share' | 'delete' | 'move';
export type Role = 'viewer' | 'editor';

/** Grants the caller holds on a file (none until sharing exists). */
export interface Grant {
  readonly fileId: string;
  readonly role: Role;
}

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  viewer: ['read'],
  editor: ['read', 'write'],
};

export function mayAccess(caller: Caller, file: Pick<FileState, 'fileId' | 'ownerId'>, action: Action, grants: readonly Grant[] = []): boolean {
  if (file.ownerId === caller.userId) return true;
  return grants.some((g) => g.fileId === file.fileId && ROLE_ACTIONS[g.role].includes(action));
}

/** The file, if the caller may perform `action` on it; otherwise 404 NOT_FOUND. */
export function authorize<F extends Pick<FileState, 'fileId' | 'ownerId'>>(
  caller: Caller,
  file: F | undefined,
  action: Action,
  grants: readonly Grant[] = [],
): F {
  if (file === undefined || !mayAccess(caller, file, action, grants)) throw notFound();
  return file;
}

/** Upload sessions belong to the caller who started them; anyone else gets 404 UPLOAD_NOT_FOUND. */
export function authorizeSession(caller: Caller, session: UploadSession | undefined, uploadId: string): UploadSession {
  if (session === undefined || session.ownerId !== caller.userId) throw uploadNotFound(uploadId);
  return session;
}
