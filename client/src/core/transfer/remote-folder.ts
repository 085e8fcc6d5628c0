/**
 * Every entry under a remote folder, depth first, a listing page at a time: a tree of any size is
 * walked holding one page per level, and its files can start downloading before the walk ends.
 */
import { LIMITS } from '@contract/limits';
import type { FolderEntry } from '@contract/schemas';
import type { ApiClient } from '../api/client';

export async function* walkRemoteFolder(api: Pick<ApiClient, 'call'>, root: string): AsyncGenerator<FolderEntry> {
  const folders = [root];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let cursor: string | undefined;
    do {
      const page = await api.call('listFolder', { query: { path: folder, cursor, limit: String(LIMITS.listPageMax) } });
      for (const entry of page.entries) {
        if (entry.kind === 'folder') folders.push(entry.path);
        yield entry;
      }
      cursor = page.cursor;
    } while (cursor);
  }
}
