/**
 * Sharing through the API: share a file with people by email, stop sharing, see who has a file and
 * what others shared with you. Nothing here prints.
 */
import { LIMITS } from '@contract/limits';
import type { Collaborator, CollaboratorsResponse, FileMetadata, ShareRole, SharedFileEntry } from '@contract/schemas';
import type { ApiClient } from '../core/api/client';
import { ToteError } from '../core/errors';
import { matchSharedRef } from './refs';

/** Shares the file with every address as `role` (someone who has it already gets the new role). */
export function shareFile(api: ApiClient, file: FileMetadata, emails: readonly string[], role: ShareRole): Promise<CollaboratorsResponse> {
  return api.call('shareFile', { params: { fileId: file.fileId }, body: { emails: [...emails], role } });
}

export async function collaborators(api: ApiClient, file: FileMetadata): Promise<Collaborator[]> {
  return (await api.call('listCollaborators', { params: { fileId: file.fileId } })).collaborators;
}

/**
 * Stops sharing the file with every address given. All or nothing, like sharing: when an address
 * is not among the file's collaborators nothing is revoked and the error names it.
 */
export async function unshareFile(api: ApiClient, file: FileMetadata, emails: readonly string[]): Promise<Collaborator[]> {
  const byEmail = new Map((await collaborators(api, file)).map((c) => [c.email.toLowerCase(), c]));
  const unknown = emails.filter((e) => !byEmail.has(e.toLowerCase()));
  if (unknown.length > 0) {
    throw new ToteError('NOT_FOUND', `not shared with ${unknown.join(', ')}; nothing was changed`, { subject: file.path, details: { emails: unknown } });
  }
  const revoked = [...new Map(emails.map((e) => [e.toLowerCase(), byEmail.get(e.toLowerCase())!])).values()];
  for (const c of revoked) await api.call('revokeShare', { params: { fileId: file.fileId, userId: c.userId } });
  return revoked;
}

/** Every file shared with the caller (all pages). */
export async function sharedWithMe(api: ApiClient): Promise<SharedFileEntry[]> {
  const entries: SharedFileEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('listShared', { query: { cursor, limit: String(LIMITS.listPageMax) } });
    entries.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

/** The current metadata of the shared file `remote` names (`shared:...`, see refs.ts). */
export async function resolveShared(api: ApiClient, remote: string): Promise<FileMetadata> {
  return matchSharedRef(await sharedWithMe(api), remote).file;
}
