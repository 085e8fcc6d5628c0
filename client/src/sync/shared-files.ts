/**
 * Files others share with the account, in a folder synced with the whole account (remote root
 * `/`): each appears at `Shared with me/<owner email>/<name>`, whatever folder the owner keeps it
 * in, so a device sees what was shared with it without the owner's tree. Two files of one owner with
 * one name are told apart by the start of their file ids. The change feed delivers their changes
 * (entries marked `shared`, and the whole shared set whenever it changes), which this module turns
 * into remote-tree rows. Only an editor's content edits go back up; a shared file's name, place
 * and existence are the owner's to decide (see the planner).
 */
import type { FileChangeEntry, SharedFileEntry } from '@contract/schemas';
import type { RemoteRow } from './model';
import { relKey } from './paths';

export const SHARED_FOLDER = 'Shared with me';
const SHARED_PREFIX = `${relKey(SHARED_FOLDER)}/`;

/** Whether a path key lies in the shared folder (its own files, or a name of the account's own files in the way). */
export const inSharedFolder = (key: string): boolean => key.startsWith(SHARED_PREFIX);

function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name} (${suffix})` : `${name.slice(0, dot)} (${suffix})${name.slice(dot)}`;
}

/** The rows with their places under the shared folder (tombstones have none). */
export function placeShared(rows: readonly RemoteRow[]): RemoteRow[] {
  const live = rows.filter((r) => r.live && r.shared);
  const slot = (r: RemoteRow) => relKey(`${SHARED_FOLDER}/${r.shared!.ownerEmail}/${r.shared!.name}`);
  const clashing = new Set<string>();
  const seen = new Set<string>();
  for (const r of live) (seen.has(slot(r)) ? clashing : seen).add(slot(r));
  return rows.map((r) => {
    if (!r.live || !r.shared) return { ...r, rel: '', key: '' };
    const name = clashing.has(slot(r)) ? withSuffix(r.shared.name, r.fileId.slice(0, 8)) : r.shared.name;
    const rel = `${SHARED_FOLDER}/${r.shared.ownerEmail}/${name}`;
    return { ...r, rel, key: relKey(rel) };
  });
}

/**
 * The shared rows after a page of the change feed: the page's shared set (when it carries one)
 * replaces the known one, and entries of shared files newer than what is known update them.
 * Answers every shared row whose state changed, placed.
 */
export function sharedChanges(known: readonly RemoteRow[], snapshot: readonly SharedFileEntry[] | undefined, entries: readonly FileChangeEntry[]): RemoteRow[] {
  const rows = new Map(known.map((r) => [r.fileId, r]));
  if (snapshot !== undefined) {
    const present = new Set(snapshot.map((s) => s.file.fileId));
    for (const row of rows.values()) if (row.live && !present.has(row.fileId)) rows.set(row.fileId, { ...row, live: false });
    for (const { file, owner, role } of snapshot) {
      const row = rows.get(file.fileId);
      const shared = { ownerEmail: owner.email, role, name: file.name };
      if (row && row.live && row.revision > file.revision) continue;
      rows.set(file.fileId, { fileId: file.fileId, rel: '', key: '', revision: file.revision, hash: file.contentHash, size: file.size, live: true, shared });
    }
  }
  for (const e of entries) {
    const row = rows.get(e.fileId);
    if (e.shared === undefined || row === undefined || e.revision <= row.revision) continue;
    const shared = { ownerEmail: e.shared.owner.email, role: e.shared.role, name: e.name };
    rows.set(e.fileId, { ...row, revision: e.revision, hash: e.contentHash, size: e.size, live: row.live && e.type !== 'delete', shared });
  }
  const before = new Map(known.map((r) => [r.fileId, r]));
  return placeShared([...rows.values()]).filter((r) => !sameRow(before.get(r.fileId), r));
}

function sameRow(a: RemoteRow | undefined, b: RemoteRow): boolean {
  return (
    a !== undefined &&
    a.rel === b.rel &&
    a.revision === b.revision &&
    a.hash === b.hash &&
    a.size === b.size &&
    a.live === b.live &&
    a.shared?.ownerEmail === b.shared?.ownerEmail &&
    a.shared?.role === b.shared?.role &&
    a.shared?.name === b.shared?.name
  );
}
