/**
 * Every change to a namespace (commit, delete, move) is one transaction: the new file state, its
 * immutable revision item, a journal entry with the next sequence number, and whatever paths move.
 * A plan is built from fresh reads; when the transaction loses a race (the journal counter moved,
 * the file changed, a path was taken) the plan is rebuilt from new reads, which then either
 * succeeds or throws the precise conflict. A file in the way of a folder is final: 409 PATH_CONFLICT.
 */
import { folderBusy, pathConflict } from '@shared/errors';
import { backoffDelayMs, sleep } from '@shared/backoff';
import type { Caller } from '@shared/identity';
import type { FileRepository } from '@repo/files';
import type { FileJournalEntry, FileState, JournalEntryType, ManifestRef, RevisionState } from '@repo/items';
import type { JournalRepository } from '@repo/journal';
import type { TaggedItem, Transactions } from '@repo/transact';

export interface ChangeDeps {
  readonly files: FileRepository;
  readonly journal: JournalRepository;
  readonly transactions: Transactions;
}

/** What to write, and what to answer once it is written; without `write` there is nothing to do. */
export type Plan<T> = { readonly write?: TaggedItem[]; readonly result: T };

const MAX_ATTEMPTS = 5;

export async function applyChange<T>(deps: ChangeDeps, plan: () => Promise<Plan<T>>): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(backoffDelayMs(attempt));
    const { write, result } = await plan();
    if (write === undefined) return result;
    const outcome = await deps.transactions.write(write);
    if (outcome.ok) return result;
    const blocked = outcome.failed.find((tag) => tag.startsWith('folder:'));
    if (blocked !== undefined) await folderBlocked(deps.files, blocked);
  }
  throw new Error(`change still contended after ${MAX_ATTEMPTS} attempts`);
}

/**
 * Throws what stood in the way of a folder a change needed (tag `folder:<ownerId>#<path>`, repo/files.ts
 * upsertFolders): a file (final), or a folder move or delete under way (FOLDER_BUSY, worth waiting for).
 * Returns when the way is clear again (the move or delete just finished): the change is tried again.
 */
async function folderBlocked(files: FileRepository, tag: string): Promise<void> {
  const [ownerId, folder] = splitOnce(tag.slice('folder:'.length), '#');
  const entry = await files.getPathEntry(ownerId, folder);
  if (entry?.kind === 'file') throw pathConflict(`${entry.path} is a file, so it cannot be a folder`, entry.path);
  if (entry !== undefined && (entry.movingTo ?? entry.movingFrom ?? entry.deleting) !== undefined) throw folderBusy(entry.path);
}

const splitOnce = (text: string, separator: string): [string, string] => {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
};

/**
 * What every new state records about its change: when, by whom, from which device. Spread over the
 * previous state, it also drops the previous change's device when this one names none.
 */
export function authorship(caller: Caller, now: Date): Pick<FileState, 'updatedAt' | 'changedBy' | 'device'> {
  return { updatedAt: now.toISOString(), changedBy: caller.userId, device: caller.device };
}

export interface Revise {
  readonly type: JournalEntryType;
  /** The state being replaced, or null for a new file. */
  readonly previous: FileState | null;
  readonly next: FileState;
  /** Only for revisions that bring new content. */
  readonly manifest?: ManifestRef;
  readonly fromPath?: string;
  /** The earlier revision a restore brings back. */
  readonly restoredFrom?: number;
  /** Journal sequence number read while planning. */
  readonly lastSeq: number;
}

/** The items every change shares: file state (guarded by the revision read), revision item, journal entry. */
export function reviseItems(deps: ChangeDeps, r: Revise): TaggedItem[] {
  return [...deps.journal.append(r.next.ownerId, r.lastSeq, journalEntry(r, r.lastSeq + 1)), ...stateItems(deps, r)];
}

/** The journal entry a change appends as number `seq`. */
export function journalEntry(r: Omit<Revise, 'lastSeq'>, seq: number): FileJournalEntry {
  return {
    seq,
    type: r.type,
    fileId: r.next.fileId,
    path: r.next.path,
    ...(r.fromPath === undefined ? {} : { fromPath: r.fromPath }),
    revision: r.next.revision,
    size: r.next.size,
    contentHash: r.next.contentHash,
    at: r.next.updatedAt,
  };
}

/** The file item (guarded by the revision read) and the immutable revision item of a change. */
export function stateItems(deps: ChangeDeps, r: Omit<Revise, 'lastSeq'>): TaggedItem[] {
  const revision: RevisionState = {
    ...r.next,
    ...(r.manifest ? { manifest: r.manifest } : {}),
    ...(r.restoredFrom === undefined ? {} : { restoredFrom: r.restoredFrom }),
  };
  return [deps.files.putFile(r.next, r.previous === null ? null : r.previous.revision), deps.files.putRevision(revision)];
}
