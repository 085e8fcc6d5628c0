/**
 * Uploads one local file through the core's upload engine (core/transfer/upload.ts): the file is
 * read once, its chunks sent as they are cut, the manifest committed at the end; a file unchanged
 * since it was last hashed is not read again but for the chunks storage lacks. The manifest is
 * remembered in the local state (so an unchanged file is not hashed again, and downloads can copy
 * its chunks), and every chunk storage accepted is in the ledger, so a killed run's rerun sends none
 * of those again.
 */
import { normalizePath, PathError } from '@contract/paths';
import { lookup as mimeLookup } from 'mime-types';
import { ToteError } from '../core/errors';
import { uploadSource } from '../core/transfer/upload';
import type { UploadResult, UploadTarget } from '../core/transfer/upload-job';
import { nodeEnvironment, type TransferContext } from './context';
import { openLocalFile } from './local-source';

export type { UploadResult } from '../core/transfer/upload-job';

export function remotePathOf(input: string): string {
  try {
    return normalizePath(input);
  } catch (error) {
    if (error instanceof PathError) throw new ToteError('INVALID_PATH', error.message, { subject: input });
    throw error;
  }
}

/**
 * The next revision of an existing file, named by id rather than by a path of the caller's namespace:
 * how an editor uploads to a file someone shared with them. `label` is how events and results name it.
 */
export interface RevisionTarget {
  readonly fileId: string;
  readonly label: string;
}

export interface UploadOptions {
  /**
   * The revision this upload must replace (0: the path must be free). Without it the upload replaces
   * whatever is there; with it, a remote that moved on is refused with REVISION_CONFLICT before any
   * chunk is sent, and the commit is guarded by it (the sync engine's optimistic concurrency).
   */
  readonly expectedRevision?: number;
}

export const mimeTypeOf = (localPath: string): string => mimeLookup(localPath) || 'application/octet-stream';

/** `localPath` must be absolute and name a regular file; `remote` is a path of the caller's namespace or a file by id. */
export async function uploadFile(ctx: TransferContext, localPath: string, remote: string | RevisionTarget, options: UploadOptions = {}): Promise<UploadResult> {
  const target: UploadTarget = typeof remote === 'string' ? { path: remotePathOf(remote) } : remote;
  const opened = await openLocalFile(ctx.state.localFiles, localPath);
  try {
    const { manifest: _manifest, uploadId: _uploadId, ...result } = await uploadSource(nodeEnvironment(ctx), {
      source: opened.source,
      localPath,
      target,
      mimeType: mimeTypeOf(localPath),
      known: opened.known,
      expectedRevision: options.expectedRevision,
      onManifest: opened.remember,
    });
    return result;
  } finally {
    await opened.close();
  }
}
