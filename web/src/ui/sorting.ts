/** Folder entries in the order the person asked for; folders always come first, as in every file manager. */
import type { FolderEntry } from '@contract/schemas';

export type SortKey = 'name' | 'size' | 'date';
export interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function sortEntries(entries: readonly FolderEntry[], sort: Sort): FolderEntry[] {
  const direction = sort.descending ? -1 : 1;
  const compare = (a: FolderEntry, b: FolderEntry): number => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    if (a.kind === 'file' && b.kind === 'file') {
      if (sort.key === 'size' && a.size !== b.size) return (a.size - b.size) * direction;
      if (sort.key === 'date' && a.updatedAt !== b.updatedAt) return (Date.parse(a.updatedAt) - Date.parse(b.updatedAt)) * direction;
    }
    return collator.compare(a.name, b.name) * (sort.key === 'name' ? direction : 1);
  };
  return [...entries].sort(compare);
}
