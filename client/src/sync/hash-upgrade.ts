/**
 * The synced tree of a folder linked before the content-hash switch holds whole-file SHA-256 hashes;
 * everything else now speaks contentHashOf (contract/content-hash.ts). Compared as they are, every
 * file touched locally would look edited (a needless upload, or a conflicted copy). So before the
 * first plan after the switch, each such hash is translated to the new hash of the same content:
 *   1. the remote file is at the synced revision: its (relisted, new) hash is the synced content's;
 *   2. the local file is the synced content (its identity is unchanged, or its bytes still have the
 *      old hash): its new hash is computed from it;
 *   3. otherwise the service tells the new hash of the synced revision.
 * A hash none of these can translate stays as it was, which never equals a new hash: the file counts
 * as changed, the safe side (kept, never lost).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { ApiClient } from '../core/api/client';
import { hasCode } from '../core/errors';
import type { EventSink } from '../events';
import { onDisk } from '../localfs/errors';
import { sameIdentity } from '../localfs/identity';
import type { LocalFileIndex } from '../state/local-file-index';
import type { SyncStore } from '../state/sync-state';
import { contentHash, identityAt } from './guarded-fs';
import type { SyncedFile } from './model';
import { absolutePath } from './paths';

export interface HashUpgradeContext {
  readonly root: string;
  readonly store: SyncStore;
  readonly localFiles: LocalFileIndex;
  readonly api: ApiClient;
  readonly emit: EventSink;
}

/** Translates every synced hash still in the old form; runs after the remote tree was relisted. */
export async function upgradeLegacyHashes(ctx: HashUpgradeContext): Promise<void> {
  const legacy = ctx.store.legacyHashes();
  if (legacy.length === 0) return;
  const synced = new Map(ctx.store.syncedFiles().map((s) => [s.fileId, s]));
  for (const fileId of legacy) {
    const file = synced.get(fileId);
    ctx.store.settleLegacyHash(fileId, file === undefined ? undefined : await translated(ctx, file));
  }
}

async function translated(ctx: HashUpgradeContext, file: SyncedFile): Promise<string | undefined> {
  const remote = ctx.store.remoteRow(file.fileId);
  if (remote !== undefined && remote.revision === file.revision) return remote.hash;
  const fromLocal = await fromLocalFile(ctx, file);
  if (fromLocal !== undefined) return fromLocal;
  try {
    const page = await ctx.api.call('getDownload', { params: { fileId: file.fileId }, query: { revision: String(file.revision) } });
    return page.file.contentHash;
  } catch (error) {
    // The revision is gone (or no longer readable): nothing tells its new hash.
    if (hasCode(error, 'NOT_FOUND') || hasCode(error, 'FORBIDDEN')) return undefined;
    throw error;
  }
}

/** The new hash of the local file, when it still holds the synced content. */
async function fromLocalFile(ctx: HashUpgradeContext, file: SyncedFile): Promise<string | undefined> {
  const path = absolutePath(ctx.root, file.rel);
  const identity = await identityAt(path);
  if (identity === undefined) return undefined;
  try {
    if (!sameIdentity(identity, file.identity) && (await wholeFileSha256(path)) !== file.hash) return undefined;
    const hash = await contentHash(ctx.localFiles, ctx.emit, path);
    return sameIdentity((await identityAt(path)) ?? identity, identity) ? hash : undefined;
  } catch (error) {
    if (hasCode(error, 'LOCAL_CHANGED') || hasCode(error, 'LOCAL_NOT_FOUND')) return undefined;
    throw error;
  }
}

/** The content hash as it was defined before the switch: SHA-256 of the whole file. Only read to recognize old hashes. */
async function wholeFileSha256(path: string): Promise<string> {
  const handle = await onDisk(path, () => open(path, 'r'));
  try {
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
