/**
 * Files the person chose, with the remote path each goes to: from a file input (files, or a whole
 * folder with `webkitdirectory`, where each File knows its relative path) and from a drop, where
 * folders arrive as FileSystemEntry trees to walk.
 */
import { joinPath } from '../ui/remote-paths';

export interface PickedFile {
  readonly file: File;
  /** Remote path, under the folder the files were dropped into. */
  readonly path: string;
}

export function pickedFromInput(files: FileList, folder: string): PickedFile[] {
  return Array.from(files, (file) => ({ file, path: joinPath(folder, file.webkitRelativePath || file.name) }));
}

export async function pickedFromDrop(items: DataTransferItemList, folder: string): Promise<PickedFile[]> {
  // Entries must be taken synchronously, before the drop event's data store is closed.
  const entries = Array.from(items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  const picked: PickedFile[] = [];
  for (const entry of entries) await walk(entry, folder, picked);
  return picked;
}

async function walk(entry: FileSystemEntry, folder: string, into: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    into.push({ file, path: joinPath(folder, entry.name) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const inside = joinPath(folder, entry.name);
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, inside, into);
  }
}
