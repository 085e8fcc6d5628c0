/**
 * The regular files under a local folder, in a stable (sorted) order, for folder uploads. Symbolic
 * links and special files are skipped with a warning (following links could leave the folder or
 * loop); the client's own download temp files are skipped silently.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink } from '../events';
import { onDisk } from '../localfs/errors';
import { isTempDownloadName } from './temp-names';

export interface LocalTreeFile {
  readonly absolutePath: string;
  /** Segments below the root, for building the remote path. */
  readonly segments: readonly string[];
}

export async function* walkFiles(root: string, emit: EventSink, segments: readonly string[] = []): AsyncGenerator<LocalTreeFile> {
  const dir = join(root, ...segments);
  const entries = await onDisk(dir, () => readdir(dir, { withFileTypes: true }));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walkFiles(root, emit, [...segments, entry.name]);
    } else if (entry.isFile()) {
      if (!isTempDownloadName(entry.name)) yield { absolutePath: path, segments: [...segments, entry.name] };
    } else {
      const what = entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
      emit({ type: 'warning', code: 'LOCAL_IO', message: `skipped: ${what}`, subject: path });
    }
  }
}
