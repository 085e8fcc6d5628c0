/** Shapes items into API answers, picking fields explicitly so storage attributes never leak out. */
import type { FileMetadata, FolderEntry } from '@contract/schemas';
import type { FileState, PathEntry } from '@repo/items';

export function toFileMetadata(f: FileState): FileMetadata {
  return {
    fileId: f.fileId,
    ownerId: f.ownerId,
    path: f.path,
    name: f.name,
    size: f.size,
    mimeType: f.mimeType,
    contentHash: f.contentHash,
    revision: f.revision,
    status: f.status,
    chunkCount: f.chunkCount,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

export function toFolderEntry(e: PathEntry): FolderEntry {
  if (e.kind === 'folder') return { kind: 'folder', name: e.name, path: e.path };
  return {
    kind: 'file',
    name: e.name,
    path: e.path,
    fileId: e.fileId,
    size: e.size,
    revision: e.revision,
    contentHash: e.contentHash,
    updatedAt: e.updatedAt,
  };
}
