/**
 * How a person names a file someone shared with them. Shared files live in their owner's namespace,
 * not in the recipient's tree, so they are named the way `tote shared` lists them:
 *
 *   shared:<name>                 the one file of that name shared with you
 *   shared:<owner-email>/<name>   the one of that name from that owner (when several owners share one)
 *   id:<fileId>                   any file you may read, by id (always unambiguous)
 *
 * Names and addresses compare without case (and names after NFC), as the service compares paths.
 */
import type { SharedFileEntry } from '@contract/schemas';
import { ToteError } from '../core/errors';

export const SHARED_PREFIX = 'shared:';

export interface SharedRef {
  readonly name: string;
  readonly ownerEmail?: string;
}

export const isSharedRef = (remote: string): boolean => remote.startsWith(SHARED_PREFIX);

/** How `tote shared` names an entry, and what `tote get` accepts back. */
export const sharedRefOf = (entry: SharedFileEntry): string => `${SHARED_PREFIX}${entry.owner.email}/${entry.file.name}`;

export function parseSharedRef(remote: string): SharedRef {
  const rest = remote.slice(SHARED_PREFIX.length);
  // A name never holds a '/', so the last one separates the owner's address from the name.
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(slash + 1);
  const ownerEmail = slash < 0 ? undefined : rest.slice(0, slash);
  if (name === '' || ownerEmail === '') {
    throw new ToteError('USAGE', 'name a shared file as shared:<name> or shared:<owner-email>/<name> (see `tote shared`)', { subject: remote });
  }
  return { name, ...(ownerEmail === undefined ? {} : { ownerEmail }) };
}

const fold = (s: string) => s.normalize('NFC').toLowerCase();

/** The one entry `ref` names; NOT_FOUND when none, USAGE (listing precise names) when several. */
export function matchSharedRef(entries: readonly SharedFileEntry[], remote: string): SharedFileEntry {
  const ref = parseSharedRef(remote);
  const matches = entries.filter(
    (e) => fold(e.file.name) === fold(ref.name) && (ref.ownerEmail === undefined || fold(e.owner.email) === fold(ref.ownerEmail)),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new ToteError('NOT_FOUND', 'no file of that name is shared with you (see `tote shared`)', { subject: remote, status: 404 });
  }
  const names = new Set(matches.map(sharedRefOf));
  // The same owner may share two files of one name from different folders: then only ids tell them apart.
  const precise = names.size === matches.length ? [...names] : matches.map((e) => `id:${e.file.fileId}`);
  throw new ToteError('USAGE', `${matches.length} files shared with you match; name one of: ${precise.join(', ')}`, { subject: remote });
}
