/**
 * Where a download's bytes go while they arrive, and how the finished file reaches the person.
 *
 * - Where the browser has the origin private file system (Chromium, Firefox, Safari), the download
 *   worker writes the chunks at their offsets into a staging file there (download-worker.ts), so memory
 *   stays flat however large the file. Once every chunk and the whole content are verified, the staged
 *   file is handed to the browser's download, the way the CLI renames a verified temp file into place:
 *   nothing unverified ever appears in Downloads.
 * - Elsewhere, verified chunks are kept as Blobs (which browsers spill to disk when large) and joined.
 */
import type { DownloadTarget } from '../../../client/src/core/transfer/download';
import { STAGING_DIR } from './download-messages';

/** Staged files stay this long after delivery, while the browser copies them into Downloads. */
const STAGED_KEEP_MS = 10 * 60_000;

export interface Staging {
  /** A new staging file's name for a download of `id` (the worker creates it). */
  readonly stagedName: string;
  /** Every byte is written and verified: give the staged file to the person. */
  deliver(name: string): Promise<void>;
  /** Throws the staged file away. */
  discard(): Promise<void>;
}

/** A place for one download in the origin private file system (older staged files are cleared first), or nothing where the browser has none. */
export async function staging(id: string): Promise<Staging | undefined> {
  const root = await navigator.storage?.getDirectory?.().catch(() => undefined);
  if (!root) return undefined;
  const dir = await root.getDirectoryHandle(STAGING_DIR, { create: true });
  await removeOldStagedFiles(dir);
  const stagedName = `${Date.now()}-${id}`;
  return {
    stagedName,
    deliver: async (name) => hand(await (await dir.getFileHandle(stagedName)).getFile(), name),
    discard: () => dir.removeEntry(stagedName).catch(() => undefined),
  };
}

/** The fallback: verified chunks kept as Blobs, joined in order and handed over at the end. */
export function memoryTarget(name: string): DownloadTarget {
  const parts: { position: number; blob: Blob }[] = [];
  return {
    sink: {
      write: async (position, bytes) => {
        parts.push({ position, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
      },
    },
    complete: async () => {
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
