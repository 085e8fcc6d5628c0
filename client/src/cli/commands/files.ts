/** ls, rm, mv. */
import type { FolderEntry } from '@contract/schemas';
import type { RemoteRef, ToteClient } from '../../client';
import { formatBytes } from '../output/format';
import type { CommandOutput } from './output';

function entryLine(entry: FolderEntry): string {
  if (entry.kind === 'folder') return `${''.padStart(10)}  ${''.padEnd(16)}  ${entry.name}/`;
  const when = entry.updatedAt.slice(0, 16).replace('T', ' ');
  return `${formatBytes(entry.size).padStart(10)}  ${when}  ${entry.name}`;
}

export async function ls(client: ToteClient, folder: string | undefined): Promise<CommandOutput> {
  const entries = await client.ls(folder);
  const path = folder ?? '/';
  return { data: { path, entries }, lines: entries.length > 0 ? entries.map(entryLine) : [emptyFolder(path)] };
}

/** Folders exist while files lie in them, so an empty one and one never made look the same. */
function emptyFolder(path: string): string {
  return path === '/' || path === '' ? 'No files yet. Upload one with `tote put <file>`.' : `No files in ${path}.`;
}

export async function rm(client: ToteClient, remote: RemoteRef): Promise<CommandOutput> {
  const file = await client.rm(remote);
  return { data: { file }, lines: [`Deleted ${remote}.`] };
}

export async function mv(client: ToteClient, from: RemoteRef, to: string): Promise<CommandOutput> {
  const file = await client.mv(from, to);
  return { data: { file }, lines: [`Moved ${from} to ${file.path}.`] };
}
