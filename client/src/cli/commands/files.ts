/** ls, rm, mv, mkdir. */
import type { FolderEntry } from '@contract/schemas';
import type { RemoteRef, ToteClient } from '../../client';
import { hasCode, ToteError } from '../../core/errors';
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

function emptyFolder(path: string): string {
  return path === '/' || path === '' ? 'No files yet. Upload one with `tote put <file>`.' : `No files in ${path}.`;
}

export interface RmOptions {
  readonly recursive: boolean;
  /** Asks before a folder goes; absent: go ahead (--yes). */
  readonly confirm?: (question: string) => Promise<boolean>;
}

export async function rm(client: ToteClient, remote: RemoteRef, options: RmOptions): Promise<CommandOutput> {
  let file;
  try {
    file = await client.rm(remote);
  } catch (error) {
    if (hasCode(error, 'IS_A_FOLDER')) return rmFolder(client, remote, options);
    throw error;
  }
  const until = file.restorableUntil.slice(0, 16).replace('T', ' ');
  return { data: { file }, lines: [`Moved ${file.path} to the trash; it can be restored until ${until} UTC (tote restore ${file.path}).`] };
}

async function rmFolder(client: ToteClient, remote: string, options: RmOptions): Promise<CommandOutput> {
  if (!options.recursive) throw new ToteError('IS_A_FOLDER', 'is a folder: `tote rm -r` removes it with everything in it', { subject: remote });
  if (options.confirm !== undefined && !(await options.confirm(`Move the folder ${remote} and everything in it to the trash?`))) {
    return { data: { removed: false }, lines: [`Left ${remote} as it is.`] };
  }
  const folder = await client.rmFolder(remote);
  return {
    data: { removed: true, folder },
    lines: [`Moved ${folder.path} and its ${folder.files} file(s) to the trash as one group (tote trash lists them; restore them with tote restore).`],
  };
}

export async function mv(client: ToteClient, from: RemoteRef, to: string): Promise<CommandOutput> {
  let file;
  try {
    file = await client.mv(from, to);
  } catch (error) {
    if (!hasCode(error, 'IS_A_FOLDER')) throw error;
    const folder = await client.mvFolder(from, to);
    return { data: { folder }, lines: [`Moved ${folder.fromPath ?? from} to ${folder.path} (${folder.files} file(s)).`] };
  }
  return { data: { file }, lines: [`Moved ${from} to ${file.path}.`] };
}

export async function mkdir(client: ToteClient, path: string): Promise<CommandOutput> {
  const folder = await client.mkdir(path);
  return { data: { folder }, lines: [`Folder ${folder.path} is there.`] };
}
