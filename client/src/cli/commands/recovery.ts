/** versions, restore, trash, trash purge. */
import type { FileVersion, RestoredFile, TrashEntry } from '@contract/schemas';
import type { RemoteRef, ToteClient } from '../../client';
import { formatBytes } from '../output/format';
import type { CommandOutput } from './output';

/** `2025-06-01 14:03` (UTC), the way listings show times. */
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function versionLine(v: FileVersion): string {
  const by = [v.changedBy?.email ?? v.changedBy?.userId, v.device].filter(Boolean).join(' on ') || 'unknown';
  const notes = [v.current ? 'current' : `until ${v.expiresAt === undefined ? '?' : when(v.expiresAt)}`, ...(v.restoredFrom ? [`restored from ${v.restoredFrom}`] : [])];
  return `${String(v.revision).padStart(6)}  ${when(v.createdAt)}  ${formatBytes(v.size).padStart(10)}  ${v.contentHash.slice(0, 12)}  ${by}  (${notes.join(', ')})`;
}

export async function versions(client: ToteClient, remote: RemoteRef): Promise<CommandOutput> {
  const history = await client.versions(remote);
  const header = `${'rev'.padStart(6)}  ${'saved (UTC)'.padEnd(16)}  ${'size'.padStart(10)}  ${'content'.padEnd(12)}  by`;
  return { data: history, lines: [header, ...history.versions.map(versionLine)] };
}

function restoredLines(r: RestoredFile): string[] {
  const where = r.renamed ? `${r.file.path} (${r.fromPath} is taken)` : r.file.path;
  const shares = r.formerShares.length === 0 ? [] : [`It was shared with ${r.formerShares.map((s) => `${s.email} (${s.role})`).join(', ')}; restoring does not share it again (tote share).`];
  return [`Restored ${r.fromPath} to ${where}.`, ...shares];
}

/** `tote restore <remote>`: a deleted file from the trash; with a revision, an earlier version of a live file. */
export async function restore(client: ToteClient, remote: RemoteRef, revision: number | undefined): Promise<CommandOutput> {
  if (revision !== undefined) {
    const file = await client.restoreVersion(remote, revision);
    return { data: { file }, lines: [`Restored version ${revision} of ${file.path} as revision ${file.revision}.`] };
  }
  const restored = await client.restore(remote);
  return { data: { restored }, lines: restoredLines(restored) };
}

function trashLine(e: TrashEntry): string {
  return `${when(e.deletedAt)}  ${formatBytes(e.size).padStart(10)}  ${e.path}  (${e.device ?? 'unknown device'}, until ${when(e.expiresAt)})`;
}

export async function trash(client: ToteClient): Promise<CommandOutput> {
  const entries = await client.trash();
  const lines = entries.length === 0 ? ['The trash is empty.'] : [`${'deleted (UTC)'.padEnd(16)}  ${'size'.padStart(10)}  path`, ...entries.map(trashLine)];
  return { data: { entries }, lines };
}

export async function purge(client: ToteClient, remote: RemoteRef | undefined): Promise<CommandOutput> {
  const purged = await client.purge(remote);
  const what = remote === undefined ? 'the trash' : `${remote} from the trash`;
  return { data: { purged }, lines: [`Purged ${purged} file${purged === 1 ? '' : 's'}: ${what} is deleted for good.`] };
}
