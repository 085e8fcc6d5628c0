/**
 * The collector's one-time migration, for data written before the trash and the collector existed:
 * - files deleted back then are tombstones without a trash entry: each gets one (retained from the
 *   migration on, since its bytes are all still there), so it shows in the trash and its revisions
 *   count as references;
 * - upload sessions get their place in the gc index, so open ones count as references;
 * - manifests kept in S3 get their registry entry, so the collector can delete them once unreferenced;
 * - every namespace holding anything gets its namespace item, so the collector visits it.
 * It reads the whole table once, a budget at a time, remembering where it got to. Until it is done no
 * namespace is swept: an unmigrated tombstone's chunks would look unreferenced.
 */
import type { ChunkRegistry } from '@repo/chunks';
import type { FileState, ManifestRef } from '@repo/items';
import type { CollectorState, Namespaces } from '@repo/namespaces';
import type { TableWalk } from '@repo/table-walk';
import type { Transactions } from '@repo/transact';
import type { FileRepository } from '@repo/files';
import type { TrashRepository } from '@repo/trash';
import { trashEntry } from '../mutations';

export const TRASH_MIGRATION = 'migration#trash-v1';

export interface MigrationDeps {
  readonly walk: Pick<TableWalk, 'rawPage' | 'indexSession'>;
  readonly files: FileRepository;
  readonly trash: TrashRepository;
  readonly namespaces: Namespaces;
  readonly transactions: Transactions;
  readonly collectorState: CollectorState;
  readonly chunks: ChunkRegistry;
}

export interface MigrationProgress {
  readonly done: boolean;
  readonly tombstonesTrashed: number;
  readonly namespacesFound: number;
}

const SCAN_PAGE = 500;
/** Partitions whose key names a namespace: `<prefix><ownerId>`. */
const NAMESPACE_PREFIXES = ['NS#', 'CHUNKS#', 'TRASH#', 'JRNL#'];

/** Runs (or continues) the migration until done or `deadline` (epoch ms) passes. */
export async function migrate(deps: MigrationDeps, now: Date, deadline: number, clock: () => number = Date.now): Promise<MigrationProgress> {
  const state = await deps.collectorState.job(TRASH_MIGRATION);
  if (state?.done) return { done: true, tombstonesTrashed: 0, namespacesFound: 0 };
  const namespaces = new Set<string>();
  let tombstonesTrashed = 0;
  let position = state?.position;
  do {
    const page = await deps.walk.rawPage(SCAN_PAGE, position);
    for (const item of page.items) {
      const owner = namespaceOf(item);
      if (owner !== undefined && !namespaces.has(owner)) {
        namespaces.add(owner);
        await deps.namespaces.mark(owner, now);
      }
      if (isTombstone(item) && (await putInTrash(deps, item as unknown as FileState, now))) tombstonesTrashed++;
      if (String(item.pk).startsWith('UPLOAD#') && item.gcpk === undefined) await deps.walk.indexSession(String(item.uploadId), String(item.ownerId));
      const manifest = item.manifest as ManifestRef | undefined;
      if (manifest?.kind === 's3') await deps.chunks.adoptManifest(String(item.ownerId), manifest.hash, manifest.key, now);
    }
    position = page.cursor;
    await deps.collectorState.saveJob(TRASH_MIGRATION, { done: position === undefined, updatedAt: now.toISOString(), ...(position ? { position } : {}) });
  } while (position !== undefined && clock() < deadline);
  return { done: position === undefined, tombstonesTrashed, namespacesFound: namespaces.size };
}

function namespaceOf(item: Record<string, unknown>): string | undefined {
  const pk = String(item.pk);
  const prefix = NAMESPACE_PREFIXES.find((p) => pk.startsWith(p));
  if (prefix !== undefined) return pk.slice(prefix.length);
  return typeof item.ownerId === 'string' ? item.ownerId : undefined;
}

const isTombstone = (item: Record<string, unknown>) => String(item.pk).startsWith('FILE#') && item.sk === 'META' && item.status === 'deleted';

/** A trash entry for a tombstone that has none; false when it has one (or was restored meanwhile). */
async function putInTrash(deps: MigrationDeps, file: FileState, now: Date): Promise<boolean> {
  const outcome = await deps.transactions.write([deps.files.checkDeleted(file.fileId, file.revision), deps.trash.put(trashEntry(file, [], now.toISOString()))]);
  return outcome.ok;
}
