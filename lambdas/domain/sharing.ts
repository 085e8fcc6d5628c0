/**
 * Sharing a file with other users by email, listing and revoking its shares, and listing what is
 * shared with the caller. Only the owner manages a file's shares (see access.ts). Recipients are
 * resolved through the user pool before anything is written, and a share request is all or nothing:
 * one unknown address and nobody gets the file.
 */
import pLimit from 'p-limit';
import type {
  Collaborator,
  CollaboratorsResponse,
  ListSharedQuery,
  ListSharedResponse,
  RevokeResponse,
  ShareRequest,
  SharedFileEntry,
} from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, unknownRecipients, validationFailed } from '@shared/errors';
import type { FileRepository } from '@repo/files';
import type { FileState, ShareRecord } from '@repo/items';
import { isShareListingKeyOf, type ShareRepository } from '@repo/shares';
import type { DirectoryUser, UserDirectory } from '@repo/users';
import { authorizeFile } from './access';
import { applyChange, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { decodeCursor, encodeCursor, pageSize } from './paging';

export interface ShareReadDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
}

export interface SharingDeps extends ChangeDeps, ShareReadDeps {
  readonly directory: UserDirectory;
}

/** User pool lookups in flight at once (ListUsers has a modest per-pool request quota). */
const PARALLEL_LOOKUPS = 4;

/** The addresses once each, compared without case, in the order given. */
function distinctEmails(emails: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const email of emails) if (!seen.has(email.toLowerCase())) seen.set(email.toLowerCase(), email);
  return [...seen.values()];
}

/** Every address's account, or UNKNOWN_RECIPIENTS naming all that have none. */
async function resolveRecipients(directory: UserDirectory, emails: readonly string[]): Promise<DirectoryUser[]> {
  const limit = pLimit(PARALLEL_LOOKUPS);
  const found = await Promise.all(emails.map((email) => limit(() => directory.findByEmail(email))));
  const unknown = emails.filter((_, i) => found[i] === undefined);
  if (unknown.length > 0) throw unknownRecipients(unknown);
  return found as DirectoryUser[];
}

/** The file whose shares the caller manages: the owner's, and not deleted (its shares ended with it). */
async function managedFile(deps: ShareReadDeps, caller: Caller, fileId: string): Promise<FileState> {
  const file = await authorizeFile(deps, caller, fileId, 'share');
  if (file.status === 'deleted') throw notFound();
  return file;
}

function toCollaborator(share: ShareRecord): Collaborator {
  return {
    userId: share.recipientId,
    email: share.recipientEmail,
    role: share.role,
    sharedBy: share.sharedBy,
    sharedAt: share.sharedAt,
    updatedAt: share.updatedAt,
  };
}

/**
 * Shares the file with each address as `role`; someone who has it already gets the new role and
 * keeps the date it was first shared. Answers with the shares as written.
 */
export async function shareFile(deps: SharingDeps, caller: Caller, fileId: string, req: ShareRequest, now = new Date()): Promise<CollaboratorsResponse> {
  // Authorize before any lookup: a stranger learns nothing, not even whether an address has an account.
  await managedFile(deps, caller, fileId);
  const emails = distinctEmails(req.emails);
  const [owner, recipients] = await Promise.all([deps.directory.findById(caller.userId), resolveRecipients(deps.directory, emails)]);
  const self = emails.filter((_, i) => recipients[i].userId === caller.userId);
  if (self.length > 0) {
    throw validationFailed(`you own this file, so it cannot be shared with you (${self.join(', ')})`, { field: 'body.emails', emails: self });
  }
  if (owner === undefined) throw new Error(`the user pool has no active user ${caller.userId}`);
  // Two spellings of one account (an alias, a changed address) are one recipient.
  const unique = [...new Map(recipients.map((r) => [r.userId, r])).values()];

  return applyChange(deps, async () => {
    const file = await managedFile(deps, caller, fileId);
    const existing = await deps.shares.getMany(unique.map((r) => r.userId), fileId);
    const written: ShareRecord[] = unique.map((r) => ({
      recipientId: r.userId,
      fileId,
      ownerId: file.ownerId,
      role: req.role,
      recipientEmail: r.email,
      ownerEmail: owner.email,
      sharedBy: caller.userId,
      sharedAt: existing.get(r.userId)?.sharedAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    }));
    return {
      // The guard fails when the file was deleted meanwhile; the next plan then answers 404.
      write: [deps.files.checkLive(fileId, file.ownerId), ...written.map((share) => deps.shares.put(share))],
      result: { fileId, collaborators: written.map(toCollaborator) },
    };
  });
}

/** Everyone the file is shared with, by email. */
export async function listCollaborators(deps: ShareReadDeps, caller: Caller, fileId: string): Promise<CollaboratorsResponse> {
  await managedFile(deps, caller, fileId);
  const shares = await deps.shares.forFile(fileId);
  return { fileId, collaborators: shares.map(toCollaborator).sort((a, b) => a.email.localeCompare(b.email)) };
}

/**
 * Ends one user's share. Idempotent: ending a share that is not there answers `revoked: false`.
 * The very next request of that user is refused (grants are read strongly consistent), so no new
 * download URL is issued; URLs issued before live out their short expiry (LIMITS.downloadUrlTtlSeconds).
 */
export async function revokeShare(deps: ShareReadDeps, caller: Caller, fileId: string, userId: string): Promise<RevokeResponse> {
  await managedFile(deps, caller, fileId);
  return { fileId, userId, revoked: await deps.shares.remove(userId, fileId) };
}

/**
 * One page of the files shared with the caller, each with its owner, the caller's role and the file's
 * current metadata.
 */
export async function listShared(deps: ShareReadDeps, caller: Caller, query: ListSharedQuery): Promise<ListSharedResponse> {
  const limit = pageSize(query.limit);
  const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, (key) => isShareListingKeyOf(caller.userId, key));
  const page = await deps.shares.forRecipient(caller.userId, limit, startKey);
  const entries = await sharedFileEntries(deps.files, page.records);
  return { entries, ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}) };
}

/**
 * The shared files behind these grants, with their current metadata. Shares whose file is gone (a
 * delete whose sweep has not caught up) are left out.
 */
export async function sharedFileEntries(files: FileRepository, records: readonly ShareRecord[]): Promise<SharedFileEntry[]> {
  const current = await files.getFiles(records.map((r) => r.fileId));
  const entries: SharedFileEntry[] = [];
  for (const share of records) {
    const file = current.get(share.fileId);
    if (file === undefined || file.status === 'deleted' || file.ownerId !== share.ownerId) continue;
    entries.push({ file: toFileMetadata(file), owner: { userId: share.ownerId, email: share.ownerEmail }, role: share.role, sharedAt: share.sharedAt });
  }
  return entries;
}
