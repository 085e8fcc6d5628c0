/**
 * A source's manifest, for a start that declares it whole (the batch endpoint) or for comparing
 * contents (the sync engine): its chunk list, cut and hashed in one streaming pass with flat memory,
 * or the one the platform remembered for it (an unchanged file). A source that changes while it is
 * read is refused rather than described by a mixed-up manifest.
 */
import { buildManifest, type Manifest } from '../chunking/manifest';
import { ToteError } from '../errors';
import type { TransferEventSink } from '../events';
import type { Sha256Factory } from '../hashing/sha256';
import { readPieces, type ByteSource } from '../io';
import type { Awaitable } from './ledger';

/** An opened source with what the platform knows of it. */
export interface OpenedSource {
  /** `unchanged()` answers whether it still holds the bytes it held when it was first opened. */
  readonly source: ByteSource;
  /** Its manifest, when the platform remembers it (hashed before and unchanged since). */
  readonly known?: Manifest;
  /** Told a manifest taken now, to remember it. */
  readonly remember?: (manifest: Manifest) => Awaitable<void>;
  close(): Promise<void>;
}

/** Hashing progress is reported at most once per this many bytes. */
export const PROGRESS_STEP_BYTES = 16 * 1024 * 1024;

/** Reports hashing progress of `size` bytes as `hash.progress` events, at most one per PROGRESS_STEP_BYTES. */
export function hashProgress(emit: TransferEventSink, localPath: string, size: number): (bytes: number) => void {
  let done = 0;
  let reported = 0;
  return (bytes) => {
    done += bytes;
    if (done - reported < PROGRESS_STEP_BYTES) return;
    reported = done;
    emit({ type: 'hash.progress', localPath, bytes: done, size });
  };
}

export async function describeSource(
  env: { readonly createSha256: Sha256Factory; readonly emit: TransferEventSink },
  localPath: string,
  opened: OpenedSource,
): Promise<Manifest> {
  const { source, known } = opened;
  if (known) {
    env.emit({ type: 'hash.done', localPath, chunks: known.chunks.length, cached: true });
    return known;
  }
  env.emit({ type: 'hash.start', localPath, size: source.size });
  const manifest = await buildManifest(readPieces(source), { createSha256: env.createSha256, onBytes: hashProgress(env.emit, localPath, source.size) });
  if (manifest.size !== source.size || !(await source.unchanged())) {
    throw new ToteError('LOCAL_CHANGED', 'file changed while it was being read; run the command again when it is complete', { subject: localPath });
  }
  await opened.remember?.(manifest);
  env.emit({ type: 'hash.done', localPath, chunks: manifest.chunks.length, cached: false });
  return manifest;
}
