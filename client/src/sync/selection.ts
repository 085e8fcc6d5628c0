/**
 * Selective sync, per device: the remote folders a synced folder leaves out (`tote sync <folder>
 * --exclude <remote folder>`, undone with `--include`), and the user's answer to a mass delete the
 * sync held (`--allow-deletes`, `--restore-deletes`). An excluded folder is outside the synced set
 * exactly as an ignored one is (ignore-rules.ts): its files here stay but no longer sync, deleting
 * them here deletes nothing elsewhere, and once included again they come back as new remote files.
 * Folders are named as remote paths (inside the folder's remote root) or relative to it.
 */
import { normalizePath, PathError } from '@contract/paths';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ToteError } from '../core/errors';
import { STATE_DB_FILE, StateStore } from '../state/store';
import type { ExcludedFolder, SyncSelection } from '../state/sync-selection';
import { STATE_FOLDER, withinKey } from './ignore-rules';
import { relativeTo, relKey, remotePathOf } from './paths';

export interface SelectionEdits {
  readonly exclude?: readonly string[];
  readonly include?: readonly string[];
  readonly allowDeletes?: boolean;
  readonly restoreDeletes?: boolean;
}

export interface SelectionReport {
  /** Remote paths of the folders excluded now. */
  readonly excluded: string[];
  /** Remote deletes waiting for the user. */
  readonly heldDeletes: number;
}

export interface SelectionChange extends SelectionReport {
  readonly lines: string[];
}

export const hasEdits = (edits: SelectionEdits): boolean =>
  (edits.exclude?.length ?? 0) > 0 || (edits.include?.length ?? 0) > 0 || edits.allowDeletes === true || edits.restoreDeletes === true;

/** A folder as the user names it, as a folder of this sync root. */
export function excludedFolderOf(remoteRoot: string, folder: string): ExcludedFolder {
  let rel: string | undefined;
  try {
    rel = folder.startsWith('/') ? relativeTo(remoteRoot, normalizePath(folder)) : normalizePath(folder).slice(1);
  } catch (error) {
    if (error instanceof PathError) throw new ToteError('USAGE', error.message, { subject: folder });
    throw error;
  }
  if (rel === undefined) throw new ToteError('USAGE', `not inside ${remoteRoot}, the remote folder this folder syncs with`, { subject: folder });
  if (rel === '') throw new ToteError('USAGE', 'that is the whole synced folder; to stop syncing it, stop `tote sync`', { subject: folder });
  return { rel, key: relKey(rel) };
}

export function describeSelection(selection: SyncSelection, remoteRoot: string): SelectionReport {
  return { excluded: selection.excluded().map((f) => remotePathOf(remoteRoot, f.rel)), heldDeletes: selection.held().length };
}

/** Applies the edits (all folder names are checked before any is applied); answers the selection after them. */
export function editSelection(selection: SyncSelection, remoteRoot: string, edits: SelectionEdits): SelectionChange {
  if (edits.allowDeletes && edits.restoreDeletes) throw new ToteError('USAGE', 'either allow the held deletes or restore the files, not both');
  const excluding = (edits.exclude ?? []).map((f) => excludedFolderOf(remoteRoot, f));
  const including = (edits.include ?? []).map((f) => excludedFolderOf(remoteRoot, f));
  const lines: string[] = [];
  const remote = (f: ExcludedFolder) => remotePathOf(remoteRoot, f.rel);
  const excludedNow = selection.excluded();
  for (const folder of including) {
    const outer = excludedNow.find((e) => e.key !== folder.key && withinKey(folder.key, e.key));
    if (outer) throw new ToteError('USAGE', `inside ${remote(outer)}, which is excluded: include that folder`, { subject: remote(folder) });
  }
  for (const folder of including) {
    const ended = selection.include(folder);
    lines.push(ended > 0 ? `Included ${remote(folder)} again: its files come back as new ones.` : `${remote(folder)} was not excluded.`);
  }
  for (const folder of excluding) {
    const added = selection.exclude(folder);
    lines.push(added ? `Excluded ${remote(folder)} on this device: its files here stay but no longer sync; deleting them here deletes nothing elsewhere.` : `${remote(folder)} was already excluded.`);
  }
  if (edits.allowDeletes) lines.push(`Allowed ${selection.allowHeld()} held delete(s): they go ahead at the next pass.`);
  if (edits.restoreDeletes) lines.push(`Restoring ${selection.restoreHeld()} file(s) held from deletion: they are downloaded again.`);
  return { ...describeSelection(selection, remoteRoot), lines };
}

/**
 * Opens a linked folder's state to read or edit its selection from another process (a daemon may be
 * running on it: SQLite lets both write in turn). Undefined when the folder holds no sync state.
 */
export async function withFolderSelection<T>(root: string, use: (selection: SyncSelection, remoteRoot: string) => T): Promise<T | undefined> {
  const stateDir = join(root, STATE_FOLDER);
  if (!(await access(join(stateDir, STATE_DB_FILE)).then(() => true, () => false))) return undefined;
  const state = StateStore.open(stateDir);
  try {
    const linked = state.sync.root();
    return linked === undefined ? undefined : use(state.selection, linked.remoteRoot);
  } finally {
    state.close();
  }
}
