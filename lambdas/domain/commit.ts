/**
 * Commit: turn a session whose chunks are all verified into the file's next revision, in one
 * transaction (see changes.ts). A retried commit of the same session answers with the revision it
 * already produced, so a client that lost the response never sees a false conflict. A session started
 * by file id becomes that file's next revision wherever the file is now, in its owner's namespace
 * (also when an editor of a shared file committed it: the journal entry is the owner's).
 */
import { randomUUID } from 'node:crypto';
import { contentHashOf } from '@contract/content-hash';
import { ancestorFolders, baseName } from '@contract/paths';
import type { ChunkRef, FileMetadata } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { chunksMissing, notFound, otherFileConflict, pathConflict, revisionConflict, uploadNotFound, validationFailed, type ApiError } from '@shared/errors';
import { isOpenSession, type AnyUploadSession, type ChunkRecord, type FileState, type UploadSession } from '@repo/items';
import type { ShareRepository } from '@repo/shares';
import type { UploadSessions } from '@repo/sessions';
import type { TaggedItem } from '@repo/transact';
import { authorizeFile, authorizeSession } from './access';
import { applyChange, authorship, reviseItems, type ChangeDeps, type Plan } from './changes';
import { usableChunks, type EntitlementDeps } from './entitlement';
import { toFileMetadata } from './metadata';
import { sessionUploader } from './uploads';

export interface CommitDeps extends ChangeDeps, EntitlementDeps {
  readonly shares: ShareRepository;
  readonly sessions: UploadSessions;
}

/** How many missing hashes a 409 lists; the count is always exact. */
const MISSING_LISTED = 1_000;

/**
 * Every chunk registered and usable by the uploader (entitlement.ts), with the plaintext size the
 * manifest claims, and relied on from `now` (so the collector cannot be deleting one while this commit
 * makes a revision of it); answers the content hash of the manifest, the only one the file will carry.
 */
async function verifyChunks(deps: CommitDeps, session: UploadSession, previous: FileState | null, now: Date): Promise<string> {
  const manifest = await deps.manifests.load(session.manifest);
  const hashes = manifest.map((c) => c.hash);
  const problem = chunkProblem(manifest, await usableChunks(deps, sessionUploader(session, previous?.contentRevision), hashes, now));
  if (problem) throw problem;
  return contentHashOf(hashes);
}

/**
 * A session past its expiry is gone even while DynamoDB's TTL has yet to remove it: the collector no
 * longer counts what it references, so committing it could name chunks being deleted.
 */
export function liveSession<S extends AnyUploadSession>(session: S, now: Date): S {
  const committed = isOpenSession(session) ? undefined : session.committed;
  if (committed === undefined && session.ttl * 1000 <= now.getTime()) throw uploadNotFound(session.uploadId);
  return session;
}

/** Why a manifest cannot be committed yet given the registered chunks (CHUNKS_MISSING or a size mismatch), if it cannot. */
export function chunkProblem(manifest: readonly ChunkRef[], registered: ReadonlyMap<string, ChunkRecord>): ApiError | undefined {
  const missing = [...new Set(manifest.map((c) => c.hash).filter((h) => !registered.has(h)))];
  if (missing.length > 0) return chunksMissing(missing.slice(0, MISSING_LISTED), missing.length);
  for (const chunk of manifest) {
    const stored = registered.get(chunk.hash)!;
    if (stored.size !== chunk.size) {
      return validationFailed(`chunk ${chunk.hash} holds ${stored.size} bytes, not ${chunk.size} as the manifest says`, {
        hash: chunk.hash,
        size: stored.size,
      });
    }
  }
  return undefined;
}

export async function committedResult(deps: CommitDeps, committed: { fileId: string; revision: number }): Promise<FileMetadata> {
  const revision = await deps.files.getRevision(committed.fileId, committed.revision);
  if (revision === undefined) throw new Error(`committed revision ${committed.revision} of ${committed.fileId} is missing`);
  return toFileMetadata(revision);
}

/** What the session's commit replaces (null: a new file at its path), read fresh, and where the result lives. */
async function replaced(deps: CommitDeps, caller: Caller, session: UploadSession): Promise<{ previous: FileState | null; path: string }> {
  if (session.fileId !== undefined) {
    // Checked again at commit: an editor whose share ended since the upload started commits nothing.
    const file = await authorizeFile(deps, caller, session.fileId, 'write');
    if (file.status === 'deleted') throw notFound('the file this upload revises has been deleted');
    return { previous: file, path: file.path };
  }
  const entry = await deps.files.getPathEntry(session.ownerId, session.path);
  if (entry?.kind === 'folder') throw pathConflict(`${entry.path} is a folder`, entry.path);
  return { previous: entry ? ((await deps.files.getFile(entry.fileId)) ?? null) : null, path: session.path };
}

/**
 * The guard every commit passes: what it replaces is the revision the client expects (0: nothing), and
 * when it names the file it edits, that file; else REVISION_CONFLICT and nothing is written.
 */
export function expectToReplace(previous: FileState | null, expectedRevision: number, expectedFileId?: string): void {
  const currentRevision = previous?.revision ?? 0;
  if (expectedRevision !== currentRevision) throw revisionConflict(expectedRevision, currentRevision, previous?.fileId);
  if (expectedFileId !== undefined && previous?.fileId !== expectedFileId) throw otherFileConflict(expectedFileId, previous);
}

export async function commitUpload(
  deps: CommitDeps,
  caller: Caller,
  uploadId: string,
  expectedRevision: number,
  now = new Date(),
  expectedFileId?: string,
): Promise<FileMetadata> {
  let contentHash: string | undefined;
  return applyChange(deps, async (): Promise<Plan<FileMetadata>> => {
    const session = liveSession(authorizeSession(caller, await deps.sessions.get(uploadId), uploadId), now);
    if (isOpenSession(session)) throw validationFailed('an open upload is committed with its whole manifest', { field: 'body.manifest' });
    if (session.committed) return { result: await committedResult(deps, session.committed) };
    const { previous, path } = await replaced(deps, caller, session);
    // Relied-on chunks stay for the collector's grace period, so one check survives re-planning after a lost race.
    contentHash ??= await verifyChunks(deps, session, previous, now);

    const lastSeq = await deps.journal.lastSeq(session.ownerId);
    expectToReplace(previous, expectedRevision, expectedFileId);

    const next = nextState(session, contentHash, previous, path, caller, now);
    return {
      write: [...reviseItems(deps, { type: 'put', previous, next, manifest: session.manifest, lastSeq }), ...placeItems(deps, uploadId, next)],
      result: toFileMetadata(next),
    };
  });
}

/** The file's state after `caller` commits `session` (whose manifest has `contentHash`) over `previous` (null: a new file) at `path`. */
export function nextState(session: UploadSession, contentHash: string, previous: FileState | null, path: string, caller: Caller, now: Date): FileState {
  const revision = (previous?.revision ?? 0) + 1;
  return {
    fileId: previous?.fileId ?? randomUUID(),
    ownerId: session.ownerId,
    path,
    name: baseName(path),
    size: session.size,
    mimeType: session.mimeType,
    contentHash,
    revision,
    status: 'uploaded',
    chunkCount: session.chunkCount,
    createdAt: previous?.createdAt ?? now.toISOString(),
    contentRevision: revision,
    ...authorship(caller, now),
  };
}

/** What a commit writes besides the journal and the file's state: its path, the ancestor folders, the session's outcome. */
function placeItems(deps: CommitDeps, uploadId: string, next: FileState): TaggedItem[] {
  return [
    deps.files.putFilePath(next),
    ...deps.files.upsertFolders(next.ownerId, ancestorFolders(next.path)),
    deps.sessions.markCommitted(uploadId, { fileId: next.fileId, revision: next.revision }),
  ];
}
