/**
 * Committing many uploads at once (POST /upload-batches/commit). Each file ends exactly as its own
 * commit would leave it, but the checks are batched (sessions, chunk registry, path entries and files
 * are each read in one BatchGetItem pass) and the writes are packed: one transaction carries as many
 * files as fit in DynamoDB's 100 items, with one journal counter move for all of them, so the journal
 * stays gapless and in commit order. A transaction that loses a race, and any file the fast path does
 * not cover (a revision by file id, a session already committed, two files whose paths collide in one
 * batch), is committed on its own by commitUpload, which re-reads and answers the precise outcome.
 *
 * The transactions run one after another, never side by side: each moves the namespace's journal
 * counter from the number it read, which is what keeps the journal gapless and in commit order (a
 * sync cursor is a number; entries that could land out of order would let a reader skip one). Two at
 * once would fail each other's counter guard. Each is a unit of the request's time budget (budget.ts):
 * commits it does not reach answer BATCH_DEFERRED, untouched, for the client to send again.
 */
import { contentHashOf } from '@contract/content-hash';
import { ancestorFolders, pathKey } from '@contract/paths';
import type { BatchCommitRequest, BatchCommitResponse, ChunkRef, FileMetadata } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { batchDeferred, pathConflict } from '@shared/errors';
import { isOpenSession, type FileState, type UploadSession } from '@repo/items';
import type { TaggedItem } from '@repo/transact';
import pLimit from 'p-limit';
import { authorizeSession } from './access';
import { itemError, settle, type Settled } from './batch-items';
import { noDeadline, WorkBudget, withinBudget, type InTime } from './budget';
import { journalEntry, stateItems } from './changes';
import { chunkProblem, commitUpload, expectToReplace, liveSession, nextState, type CommitDeps } from './commit';
import { toFileMetadata } from './metadata';

/** TransactWriteItems' item limit. */
const MAX_TRANSACT_ITEMS = 100;
/**
 * Inline manifest entries per transaction: revision items carry their manifest, and a transaction may
 * hold 4 MB in all; at about 100 bytes an entry this leaves ample room.
 */
const MAX_TRANSACT_MANIFEST_CHUNKS = 10_000;
/** Manifests read at once (the large ones come from S3). */
const MANIFEST_READS = 8;
/** Times a group's transaction is tried when only the journal counter moved (another change of the namespace got in first). */
const COUNTER_ATTEMPTS = 3;

interface Ready {
  readonly index: number;
  readonly uploadId: string;
  readonly session: UploadSession;
  readonly previous: FileState | null;
  readonly next: FileState;
}

type Answer = Settled<FileMetadata>;

export async function commitUploadBatch(
  deps: CommitDeps,
  caller: Caller,
  body: BatchCommitRequest,
  now = new Date(),
  inTime: InTime = noDeadline,
): Promise<BatchCommitResponse> {
  const answers: (Answer | undefined)[] = body.commits.map(() => undefined);
  const alone: number[] = [];
  const candidates = await fastPathCandidates(deps, caller, body, answers, alone, now);
  const ready = await checkCandidates(deps, caller, body, candidates, answers, now);
  const budget = new WorkBudget(inTime);
  const journal = new JournalHead(deps, caller.userId);
  const groups = packTransactions(ready, alone);
  const committed = await withinBudget(groups, budget, (group) => journal.commitGroup(group));
  for (const [g, group] of groups.entries()) {
    if (committed[g] === true) for (const r of group) answers[r.index] = { ok: true, value: toFileMetadata(r.next) };
    else if (committed[g] === false) alone.push(...group.map((r) => r.index));
  }
  // One by one, in request order: a later commit of a path sees the earlier one's outcome.
  await withinBudget(alone.sort((a, b) => a - b), budget, async (i) => {
    const { uploadId, expectedRevision, expectedFileId } = body.commits[i];
    answers[i] = await settle(() => commitUpload(deps, caller, uploadId, expectedRevision, now, expectedFileId));
  });
  return {
    results: answers.map((a) => {
      // Whatever the budget left unreached (whole groups, the commits alone after them) was not touched.
      if (a === undefined) return { ok: false, error: itemError(batchDeferred()) };
      return a.ok ? { ok: true, file: a.value } : { ok: false, error: a.error };
    }),
  };
}

interface Candidate {
  readonly index: number;
  readonly uploadId: string;
  readonly session: UploadSession;
}

/** Sessions the fast path can take: the caller's own uncommitted path uploads, each once. */
async function fastPathCandidates(
  deps: CommitDeps,
  caller: Caller,
  body: BatchCommitRequest,
  answers: (Answer | undefined)[],
  alone: number[],
  now: Date,
): Promise<Candidate[]> {
  const sessions = await deps.sessions.getMany(body.commits.map((c) => c.uploadId));
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [index, { uploadId }] of body.commits.entries()) {
    const found = await settle(() => liveSession(authorizeSession(caller, sessions.get(uploadId), uploadId), now));
    if (!found.ok) {
      answers[index] = found;
    } else if (isOpenSession(found.value) || found.value.committed !== undefined || found.value.fileId !== undefined || seen.has(uploadId)) {
      alone.push(index);
    } else {
      seen.add(uploadId);
      candidates.push({ index, uploadId, session: found.value });
    }
  }
  return candidates;
}

/** Every chunk registered and the path as each commit expects it; answers the ones that fail. */
async function checkCandidates(
  deps: CommitDeps,
  caller: Caller,
  body: BatchCommitRequest,
  candidates: readonly Candidate[],
  answers: (Answer | undefined)[],
  now: Date,
): Promise<Ready[]> {
  const ownerId = caller.userId;
  const limit = pLimit(MANIFEST_READS);
  const manifests = await Promise.all(candidates.map((c) => limit((): Promise<ChunkRef[]> => deps.manifests.load(c.session.manifest))));
  const [registered, entries] = await Promise.all([
    deps.chunks.rely(ownerId, manifests.flatMap((m) => m.map((c) => c.hash)), now),
    deps.files.getPathEntries(ownerId, candidates.map((c) => c.session.path)),
  ]);
  const fileIds = [...entries.values()].flatMap((e) => (e.kind === 'file' ? [e.fileId] : []));
  const files = await deps.files.getFiles(fileIds);

  const ready: Ready[] = [];
  for (const [k, c] of candidates.entries()) {
    const problem = chunkProblem(manifests[k], registered);
    if (problem) {
      answers[c.index] = { ok: false, error: itemError(problem) };
      continue;
    }
    const entry = entries.get(pathKey(c.session.path));
    if (entry?.kind === 'folder') {
      answers[c.index] = { ok: false, error: itemError(pathConflict(`${entry.path} is a folder`, entry.path)) };
      continue;
    }
    const previous = entry ? (files.get(entry.fileId) ?? null) : null;
    const { expectedRevision, expectedFileId } = body.commits[c.index];
    const guard = await settle(() => expectToReplace(previous, expectedRevision, expectedFileId));
    if (!guard.ok) {
      answers[c.index] = guard;
      continue;
    }
    const contentHash = await contentHashOf(manifests[k].map((chunk) => chunk.hash));
    ready.push({ index: c.index, uploadId: c.uploadId, session: c.session, previous, next: nextState(c.session, contentHash, previous, c.session.path, caller, now) });
  }
  return ready;
}

/**
 * Groups commits into transactions within DynamoDB's limits. A transaction may not touch one item
 * twice, so a file whose path is another's in the batch, or is an ancestor folder of another's (or
 * has one of theirs as its folder), is left to be committed alone.
 */
function packTransactions(ready: readonly Ready[], alone: number[]): Ready[][] {
  const filePaths = new Set<string>();
  const folderPaths = new Set<string>();
  const fits: Ready[] = [];
  for (const r of ready) {
    const key = pathKey(r.next.path);
    const folders = ancestorFolders(r.next.path).map(pathKey);
    if (filePaths.has(key) || folderPaths.has(key) || folders.some((f) => filePaths.has(f))) {
      alone.push(r.index);
      continue;
    }
    filePaths.add(key);
    folders.forEach((f) => folderPaths.add(f));
    fits.push(r);
  }

  const groups: Ready[][] = [];
  let group: Ready[] = [];
  let folders = new Set<string>();
  let manifestChunks = 0;
  for (const r of fits) {
    const newFolders = ancestorFolders(r.next.path).filter((f) => !folders.has(pathKey(f)));
    const inline = r.session.manifest.kind === 'inline' ? r.session.manifest.chunks.length : 0;
    // Per file: journal entry, file, revision, path, session marker; plus the counter once.
    const items = 1 + (group.length + 1) * 5 + folders.size + newFolders.length;
    if (group.length > 0 && (items > MAX_TRANSACT_ITEMS || manifestChunks + inline > MAX_TRANSACT_MANIFEST_CHUNKS)) {
      groups.push(group);
      group = [];
      folders = new Set();
      manifestChunks = 0;
    }
    group.push(r);
    ancestorFolders(r.next.path).forEach((f) => folders.add(pathKey(f)));
    manifestChunks += inline;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * The namespace's journal counter as this request last left it, so each group's transaction need not
 * read it first; a transaction that finds it moved (another change got in) reads it again.
 */
class JournalHead {
  private lastSeq: number | undefined;

  constructor(
    private readonly deps: CommitDeps,
    private readonly ownerId: string,
  ) {}

  /** One transaction for the group; false when a guard other than the counter failed (the commits are then retried alone). */
  async commitGroup(group: readonly Ready[]): Promise<boolean> {
    for (let attempt = 0; attempt < COUNTER_ATTEMPTS; attempt++) {
      const lastSeq = (this.lastSeq ??= await this.deps.journal.lastSeq(this.ownerId));
      const outcome = await this.deps.transactions.write(groupItems(this.deps, this.ownerId, lastSeq, group));
      if (outcome.ok) {
        this.lastSeq = lastSeq + group.length;
        return true;
      }
      this.lastSeq = undefined;
      if (outcome.failed.some((tag) => tag !== 'counter')) return false;
    }
    return false;
  }
}

/** The items of one transaction committing the group as journal entries lastSeq + 1, + 2, ... */
function groupItems(deps: CommitDeps, ownerId: string, lastSeq: number, group: readonly Ready[]): TaggedItem[] {
  const changes = group.map((r) => ({ type: 'put' as const, previous: r.previous, next: r.next, manifest: r.session.manifest }));
  // Ancestor folders shared by several files of the group are upserted once (first spelling wins, as it would one by one).
  const folders = new Map<string, string>();
  for (const r of group) for (const f of ancestorFolders(r.next.path)) if (!folders.has(pathKey(f))) folders.set(pathKey(f), f);
  return [
    ...deps.journal.appendMany(ownerId, lastSeq, changes.map((c, i) => journalEntry(c, lastSeq + 1 + i))),
    ...group.flatMap((r, i) => [
      ...stateItems(deps, changes[i]),
      deps.files.putFilePath(r.next),
      deps.sessions.markCommitted(r.uploadId, { fileId: r.next.fileId, revision: r.next.revision }),
    ]),
    ...deps.files.upsertFolders(ownerId, [...folders.values()]),
  ];
}
