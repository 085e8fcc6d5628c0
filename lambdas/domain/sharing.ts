/**
 * Sharing a file with other users by email, listing and revoking its shares, and listing what is
 * shared with the caller. Only the owner manages a file's shares (see access.ts).
 *
 * Sharing answers the same whether an address has an account or not, as Dropbox does: an address
 * with a confirmed account gets a grant, any other gets an invitation (invitations.ts turns it into
 * the grant when an account with that address is confirmed). Both are written by the same
 * transaction, answered in the same shape with the address as the owner typed it, and listed alike,
 * under a collaborator id derived from the file and the address, so neither the answer nor the
 * collaborators list tells which addresses have accounts.
 */
import { createHash } from 'node:crypto';
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
import { accountDeleted, accountDisabled, notFound, validationFailed } from '@shared/errors';
import type { FileRepository } from '@repo/files';
import type { FileShare, FileState, ShareRecord } from '@repo/items';
import { isShareListingKeyOf, type ShareKey, type ShareRepository } from '@repo/shares';
import type { UserDirectory } from '@repo/users';
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

/** The file whose shares the caller manages: the owner's, and not deleted (its shares ended with it). */
async function managedFile(deps: ShareReadDeps, caller: Caller, fileId: string): Promise<FileState> {
  const file = await authorizeFile(deps, caller, fileId, 'share');
  if (file.status === 'deleted') throw notFound();
  return file;
}

/** The owner's address as the pool has it; an account gone since its token was issued is refused with its code. */
async function ownerEmail(directory: UserDirectory, caller: Caller): Promise<string> {
  const account = await directory.account(caller.userId);
  if (account.status === 'deleted') throw accountDeleted();
  if (account.status === 'disabled') throw accountDisabled();
  if (account.email === undefined) throw accountDeleted();
  return account.email;
}

/** The handle of one collaborator of a file: the same for a grant and an invitation to one address. */
export function collaboratorIdOf(fileId: string, email: string): string {
  return createHash('sha256').update(`${fileId}\n${email.toLowerCase()}`).digest('hex').slice(0, 32);
}

function toCollaborator(share: FileShare): Collaborator {
  const email = share.kind === 'grant' ? share.recipientEmail : share.email;
  return {
    collaboratorId: collaboratorIdOf(share.fileId, email),
    email,
    role: share.role,
    sharedBy: share.sharedBy,
    sharedAt: share.sharedAt,
    updatedAt: share.updatedAt,
  };
}

/**
 * Shares the file with each address as `role`; someone who has it already (granted or invited) gets
 * the new role and keeps the date it was first shared. Answers with the shares as written.
 */
export async function shareFile(deps: SharingDeps, caller: Caller, fileId: string, req: ShareRequest, now = new Date()): Promise<CollaboratorsResponse> {
  // Authorize before any lookup: a stranger learns nothing, not even whether an address has an account.
  await managedFile(deps, caller, fileId);
  const emails = distinctEmails(req.emails);
  const limit = pLimit(PARALLEL_LOOKUPS);
  const [owner, accounts] = await Promise.all([
    ownerEmail(deps.directory, caller),
    Promise.all(emails.map((email) => limit(() => deps.directory.findByEmail(email)))),
  ]);
  const self = emails.filter((_, i) => accounts[i]?.userId === caller.userId);
  if (self.length > 0) {
    throw validationFailed(`you own this file, so it cannot be shared with you (${self.join(', ')})`, { field: 'body.emails', emails: self });
  }

  const { written, stale } = await applyChange(deps, async () => {
    const file = await managedFile(deps, caller, fileId);
    const [grants, invitations] = await Promise.all([
      deps.shares.getMany(accounts.flatMap((a) => (a ? [a.userId] : [])), fileId),
      deps.shares.invitationsOf(emails, fileId),
    ]);
    const shares = new Map<string, FileShare>();
    const stale: ShareKey[] = [];
    emails.forEach((email, i) => {
      const account = accounts[i];
      const invited = invitations.get(email.toLowerCase());
      const before = (account && grants.get(account.userId)) || invited;
      const common = { fileId, ownerId: file.ownerId, role: req.role, ownerEmail: owner, sharedBy: caller.userId, sharedAt: before?.sharedAt ?? now.toISOString(), updatedAt: now.toISOString() };
      // Two spellings of one account are one recipient.
      if (account) shares.set(account.userId, { kind: 'grant', recipientId: account.userId, recipientEmail: email, ...common });
      else shares.set(email.toLowerCase(), { kind: 'invitation', email, ...common });
      // An invitation its address's confirmation did not claim (the account came later) gives way to the grant.
      if (account && invited) stale.push({ kind: 'invitation', email: invited.email, fileId });
    });
    const written = [...shares.values()];
    return {
      // The guard fails when the file was deleted meanwhile; the next plan then answers 404.
      write: [deps.files.checkLive(fileId, file.ownerId), ...written.map((share) => writeItem(deps.shares, share))],
      result: { written, stale },
    };
  });
  if (stale.length > 0) await deps.shares.removeAll(stale);
  return { fileId, collaborators: written.map(toCollaborator) };
}

function writeItem(shares: ShareRepository, share: FileShare) {
  if (share.kind === 'grant') {
    const { kind: _kind, ...grant } = share;
    return shares.put(grant);
  }
  const { kind: _kind, ...invitation } = share;
  return shares.putInvitation(invitation);
}

/** Everyone the file is shared with, by email: accounts and open invitations alike. */
export async function listCollaborators(deps: ShareReadDeps, caller: Caller, fileId: string): Promise<CollaboratorsResponse> {
  await managedFile(deps, caller, fileId);
  const shares = await deps.shares.forFile(fileId);
  return { fileId, collaborators: shares.map(toCollaborator).sort((a, b) => a.email.localeCompare(b.email)) };
}

/**
 * Ends one collaborator's share or invitation. Idempotent: ending one that is not there answers
 * `revoked: false`. The very next request of that user is refused (grants are read strongly
 * consistent), so no new download URL is issued; URLs issued before live out their short expiry
 * (LIMITS.downloadUrlTtlSeconds). Collaborators are found through the byFile index, which lists a
 * share a moment after it is written: a revoke of a share just made may answer `revoked: false`.
 */
export async function revokeShare(deps: ShareReadDeps, caller: Caller, fileId: string, collaboratorId: string): Promise<RevokeResponse> {
  await managedFile(deps, caller, fileId);
  const shares = (await deps.shares.forFile(fileId)).filter((share) => toCollaborator(share).collaboratorId === collaboratorId);
  const removed = await Promise.all(shares.map((share) => deps.shares.remove(share)));
  return { fileId, collaboratorId, revoked: removed.some(Boolean) };
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
