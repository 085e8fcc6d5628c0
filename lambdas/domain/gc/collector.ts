/**
 * The chunk collector for one namespace, as a sequence of explicit steps (an async generator: each
 * `yield` is a point where the rest of the world may act, which is how the race test interleaves
 * uploads, restores and deletes with it). The protocol and why it is safe: ./README.md.
 *
 *  1. Fix the scan time T and the cutoff T - G (G: LIMITS.gcGraceSeconds) and note the journal's seq.
 *  2. Scan every file (live through its path entry, trashed through its trash entry): purge what is
 *     past retention, add what is kept to the references. Files changed while scanning (journal
 *     entries after the noted seq) are scanned again; so are upload sessions not committed nor expired.
 *  3. Sweep the registry: an entry no reference names and nobody touched since the cutoff is marked
 *     deleting (conditionally), every S3 version of its object that exists is deleted by version id,
 *     and the entry is removed while still marked. An entry found marked (a run stopped half way) is
 *     finished the same way. Then packs: one that no remaining blob entry names and nothing stamped
 *     since the cutoff is deleted the same way. A run still sweeping G/2 after T stops.
 *  4. Before that sweep, staged chunks nobody's tracker took (staging keys: domain/staged-chunks.ts) are
 *     deleted once no session can need them: written before T - session TTL - G, by an uploader with
 *     no live session in the namespace.
 */
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { ChunkRef } from '@contract/schemas';
import type { ChunkRegistry, RegistryEntry } from '@repo/chunks';
import type { FileRepository } from '@repo/files';
import { isFolderEntry, isOpenSession, type AnyUploadSession, type ManifestRef, type TrashItem } from '@repo/items';
import type { JournalRepository } from '@repo/journal';
import type { CollectorState } from '@repo/namespaces';
import type { UploadSessions } from '@repo/sessions';
import type { StoredObjects } from '@repo/stored-objects';
import type { Transactions } from '@repo/transact';
import type { TrashRepository } from '@repo/trash';
import { expiredRevisions, trashExpiry, type Retention } from '../retention';
import { purgeTrashed } from '../trash';
import { TRASH_MIGRATION } from './migration';
import { References } from './references';

export interface CollectorDeps {
  readonly files: FileRepository;
  readonly journal: JournalRepository;
  readonly trash: TrashRepository;
  readonly sessions: UploadSessions;
  readonly chunks: ChunkRegistry;
  readonly manifests: { load(ref: ManifestRef): Promise<ChunkRef[]> };
  readonly stored: StoredObjects;
  readonly transactions: Transactions;
  readonly collectorState: CollectorState;
  readonly retention: Retention;
}

/** The grace period G (the touch interval in @repo/chunks is G/2: the two must agree). */
const GRACE_MS = LIMITS.gcGraceSeconds * 1000;

export type CollectorStep =
  | { readonly step: 'scan-started'; readonly at: string; readonly cutoff: string }
  | { readonly step: 'trash-purged'; readonly fileId: string }
  | { readonly step: 'versions-purged'; readonly fileId: string; readonly revisions: readonly number[] }
  | { readonly step: 'file-scanned'; readonly fileId: string }
  | { readonly step: 'sessions-scanned'; readonly open: number }
  | { readonly step: 'staging-swept'; readonly objects: number; readonly bytes: number }
  | { readonly step: 'changes-rescanned'; readonly files: number }
  /** The sweep chose this entry (unreferenced, untouched since the cutoff, as its page read) and marks it next. */
  | { readonly step: 'marking'; readonly key: string }
  | { readonly step: 'marked'; readonly key: string }
  | { readonly step: 'bytes-deleted'; readonly key: string; readonly bytes: number }
  | { readonly step: 'forgotten'; readonly key: string }
  | { readonly step: 'kept'; readonly key: string };

export interface CollectorSummary {
  readonly ownerId: string;
  readonly at: string;
  readonly trashPurged: number;
  readonly revisionsPurged: number;
  readonly objectsDeleted: number;
  /** Staged chunks nobody's tracker took, deleted (their bytes are in bytesFreed too). */
  readonly stagedDeleted: number;
  readonly bytesFreed: number;
  /** Why the sweep did not run to the end, when it did not. */
  readonly sweep: 'done' | 'waiting for the trash migration' | 'stopped: ran past half the grace period';
}

/** Journal entries read per page when looking for files changed during the scan. */
const JOURNAL_PAGE = 1_000;

/**
 * Collects one namespace. `clock` is "now" for every decision: in Lambda the scheduled event's time
 * plus the time elapsed since, in tests any clock they drive.
 */
export async function* collectNamespace(deps: CollectorDeps, ownerId: string, clock: () => Date): AsyncGenerator<CollectorStep, CollectorSummary> {
  const scanAt = clock();
  const cutoff = new Date(scanAt.getTime() - GRACE_MS);
  const tally = { trashPurged: 0, revisionsPurged: 0, objectsDeleted: 0, stagedDeleted: 0, bytesFreed: 0 };
  const summary = (sweep: CollectorSummary['sweep']): CollectorSummary => ({ ownerId, at: scanAt.toISOString(), ...tally, sweep });
  yield { step: 'scan-started', at: scanAt.toISOString(), cutoff: cutoff.toISOString() };

  const references = new References();
  const load = (ref: ManifestRef) => deps.manifests.load(ref);
  const scanFile = async function* (fileId: string, purge: boolean): AsyncGenerator<CollectorStep> {
    const revisions = await deps.files.listRevisions(fileId, { manifests: true });
    const expired = purge ? new Set(expiredRevisions(revisions, scanAt, deps.retention)) : new Set<number>();
    if (expired.size > 0) {
      await deps.files.removeRevisions(fileId, [...expired]);
      tally.revisionsPurged += expired.size;
      yield { step: 'versions-purged', fileId, revisions: [...expired] };
    }
    for (const r of revisions) if (r.manifest !== undefined && !expired.has(r.revision)) await references.add(r.manifest, load);
    yield { step: 'file-scanned', fileId };
  };

  const seqAtScan = await deps.journal.lastSeq(ownerId);
  for await (const page of deps.files.pathEntries(ownerId)) {
    for (const entry of page) if (entry.kind === 'file') yield* scanFile(entry.fileId, true);
  }
  for await (const page of deps.trash.all(ownerId)) {
    for (const entry of page) {
      if (isExpired(entry, scanAt, deps.retention) && (await purgeTrashed(deps, entry))) {
        tally.trashPurged++;
        yield { step: 'trash-purged', fileId: entry.fileId };
      } else {
        // Kept, or restored just before the purge could take it: either way its revisions are references.
        yield* scanFile(entry.fileId, !isExpired(entry, scanAt, deps.retention));
      }
    }
  }
  let open = 0;
  const uploading = new Set<string>();
  for await (const page of deps.sessions.forOwner(ownerId)) {
    for (const session of page) {
      if (session.uploaderId !== undefined && !isClosedOrExpired(session, scanAt)) uploading.add(session.uploaderId);
      // A committed session's content is its revision's, counted with the file (the commit wrote both at
      // once). An open session names no chunks: what its client was told is stored was touched then, and
      // its commit relies on every chunk again (a chunk deleted meanwhile fails it with CHUNKS_MISSING).
      if (isOpenSession(session) || session.committed !== undefined || session.ttl * 1000 <= scanAt.getTime()) continue;
      open++;
      await references.add(session.manifest, load);
    }
  }
  yield { step: 'sessions-scanned', open };
  const changed = await changedSince(deps.journal, ownerId, seqAtScan);
  for (const fileId of changed) yield* scanFile(fileId, false);
  yield { step: 'changes-rescanned', files: changed.size };
  const staged = await sweepStaging(deps, ownerId, uploading, scanAt);
  tally.stagedDeleted += staged.objects;
  tally.bytesFreed += staged.bytes;
  yield { step: 'staging-swept', ...staged };

  if ((await deps.collectorState.job(TRASH_MIGRATION))?.done !== true) return summary('waiting for the trash migration');
  /** Packs stay while a blob entry names them: the packs named by entries this sweep kept, and the pack entries seen. */
  const namedPacks = new Set<string>();
  const packs: RegistryEntry[] = [];
  for await (const page of deps.chunks.entries(ownerId)) {
    for (const entry of page) {
      if (entry.kind === 'pack') {
        packs.push(entry);
        continue;
      }
      // A mark is final: a run that stopped half way left it, and only a session planning to send the
      // chunk again can name it now (nothing relies on a marked entry); it is finished, then sent anew.
      const doomed = entry.deleting || (!references.names(entry) && entry.touchedAt < cutoff.toISOString());
      if (doomed && clock().getTime() - scanAt.getTime() > GRACE_MS / 2) return summary('stopped: ran past half the grace period');
      if (!doomed || !(yield* deleteEntry(deps, ownerId, entry, cutoff, tally))) {
        if (entry.inPack !== undefined) namedPacks.add(entry.inPack);
      }
    }
  }
  // After every blob entry: a pack no kept entry names and nothing stamped since the cutoff holds no
  // byte anything can reach (a tracker stamps it before registering blobs that would name it).
  for (const entry of packs) {
    if (!entry.deleting && (namedPacks.has(entry.hash) || entry.touchedAt >= cutoff.toISOString())) continue;
    if (clock().getTime() - scanAt.getTime() > GRACE_MS / 2) return summary('stopped: ran past half the grace period');
    yield* deleteEntry(deps, ownerId, entry, cutoff, tally);
  }
  return summary('done');
}

function isClosedOrExpired(session: AnyUploadSession, now: Date): boolean {
  return (!isOpenSession(session) && session.committed !== undefined) || session.ttl * 1000 <= now.getTime();
}

/**
 * Staged chunks are verified bytes waiting to be put in place; the tracker removes each once it is.
 * One still there after its session expired was never taken (its deliveries failed for good): a live
 * session started before T - TTL, and wrote its chunks after its start, so older ones are nobody's; an
 * uploader with a live session keeps even those (a 412 on its staging key makes its client ask to verify
 * that very object). The bucket's lifecycle rule expires the same objects on AWS; this also covers
 * stores without lifecycle rules, and frees the bytes at once (by version id: no delete marker).
 */
async function sweepStaging(deps: CollectorDeps, ownerId: string, uploading: ReadonlySet<string>, scanAt: Date): Promise<{ objects: number; bytes: number }> {
  const before = new Date(scanAt.getTime() - LIMITS.uploadSessionTtlSeconds * 1000 - GRACE_MS);
  return deps.stored.deleteOlderUnder(`${S3_LAYOUT.stagingPrefix}${ownerId}/`, before, (key) => !uploading.has(S3_LAYOUT.parseStagedKey(key)?.uploaderId ?? ''));
}

function isExpired(entry: TrashItem, now: Date, retention: Retention): boolean {
  return trashExpiry(entry, retention).getTime() <= now.getTime();
}

/** The three steps of deleting one stored object; false when a touch since the cutoff keeps it. */
async function* deleteEntry(
  deps: CollectorDeps,
  ownerId: string,
  entry: RegistryEntry,
  cutoff: Date,
  tally: { objectsDeleted: number; bytesFreed: number },
): AsyncGenerator<CollectorStep, boolean> {
  // The page was read a while ago: only the conditional mark decides whether a touch since then wins.
  yield { step: 'marking', key: entry.key };
  if (!(await deps.chunks.markDeleting(ownerId, entry.id, cutoff))) {
    yield { step: 'kept', key: entry.key };
    return false;
  }
  yield { step: 'marked', key: entry.key };
  const bytes = await deps.stored.deleteEveryVersion(entry.key);
  tally.bytesFreed += bytes;
  yield { step: 'bytes-deleted', key: entry.key, bytes };
  if (await deps.chunks.forget(ownerId, entry.id)) tally.objectsDeleted++;
  yield { step: 'forgotten', key: entry.key };
  return true;
}

/** Files named by journal entries after `seq`. */
async function changedSince(journal: JournalRepository, ownerId: string, seq: number): Promise<Set<string>> {
  const files = new Set<string>();
  let after = seq;
  for (;;) {
    const page = await journal.readAfter(ownerId, after, JOURNAL_PAGE);
    // A folder change moved or deleted files without bringing content: nothing new to keep.
    for (const entry of page.entries) if (!isFolderEntry(entry)) files.add(entry.fileId);
    if (!page.more || page.entries.length === 0) return files;
    after = page.entries[page.entries.length - 1].seq;
  }
}
