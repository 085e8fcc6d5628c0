/**
 * Where a download's bytes go while they arrive, and how the finished file reaches the person.
 *
 * - Where the browser has the origin private file system (Chromium, Firefox, Safari 17+), chunks are
 *   written at their offsets into a staging file there (File System Access writable streams with
 *   positional writes), so memory stays flat however large the file. Once every chunk and the whole
 *   content are verified, the staged file is handed to the browser's download, the way the CLI renames a
 *   verified temp file into place: nothing unverified ever appears in Downloads.
 * - Elsewhere, verified chunks are kept as Blobs (which browsers spill to disk when large) and joined.
 */

export interface SaveTarget {
  /** Writes verified bytes at their offset in the file; calls may come in any order. */
  write(position: number, bytes: Uint8Array): Promise<void>;
  /** Every byte is written and verified: give the file to the person. */
  deliver(): Promise<void>;
  /** Throws the partial file away. */
  discard(): Promise<void>;
}

const STAGING_DIR = 'tote-downloads';
/** Staged files stay this long after delivery, while the browser copies them into Downloads. */
const STAGED_KEEP_MS = 10 * 60_000;

export async function saveTarget(name: string, size: number, id: string): Promise<SaveTarget> {
  const root = await navigator.storage?.getDirectory?.().catch(() => undefined);
  return root ? opfsTarget(root, name, size, id) : memoryTarget(name);
}

async function opfsTarget(root: FileSystemDirectoryHandle, name: string, size: number, id: string): Promise<SaveTarget> {
  const dir = await root.getDirectoryHandle(STAGING_DIR, { create: true });
  await removeOldStagedFiles(dir);
  const stagedName = `${Date.now()}-${id}`;
  const handle = await dir.getFileHandle(stagedName, { create: true });
  const writable = await handle.createWritable({ keepExistingData: false });
  await writable.truncate(size);
  let writing = Promise.resolve();
  return {
    // One write at a time: a writable stream takes its commands in order.
    write: (position, bytes) => (writing = writing.then(() => writable.write({ type: 'write', position, data: bytes as Uint8Array<ArrayBuffer> }))),
    deliver: async () => {
      await writing;
      await writable.close();
      hand(await handle.getFile(), name);
    },
    discard: async () => {
      await writable.abort().catch(() => undefined);
      await dir.removeEntry(stagedName).catch(() => undefined);
    },
  };
}

function memoryTarget(name: string): SaveTarget {
  const parts: { position: number; blob: Blob }[] = [];
  return {
    write: async (position, bytes) => {
      parts.push({ position, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    },
    deliver: async () => {
      parts.sort((a, b) => a.position - b.position);
      hand(new Blob(parts.map((p) => p.blob)), name);
    },
    discard: async () => {
      parts.length = 0;
    },
  };
}

/** The browser's own download of a finished file (its Downloads folder, or where it asks). */
function hand(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), STAGED_KEEP_MS);
}

async function removeOldStagedFiles(dir: FileSystemDirectoryHandle): Promise<void> {
  const cutoff = Date.now() - STAGED_KEEP_MS;
  for await (const [entryName] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    const stagedAt = Number(entryName.split('-')[0]);
    if (Number.isFinite(stagedAt) && stagedAt < cutoff) await dir.removeEntry(entryName).catch(() => undefined);
  }
}
