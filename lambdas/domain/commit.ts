/**
 * Commit: turn a session whose chunks are all verified into the file's next revision, in one
 * transaction (see changes.ts). A retried commit of the same session answers with the revision it
 * already produced, so a client that lost the response never sees a false conflict. A session started
 * by file id becomes that file's next revision wherever the file is now, in its owner's namespace
 * (also when an editor of a shared file committed it: the journal entry is the owner's).
 */
import { randomUUID } from 'node:crypto';
import { ancestorFolders, baseName } from '@contract/paths';
import type { ChunkRef, FileMetadata } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { chunksMissing, notFound, pathConflict, revisionConflict, validationFailed, type ApiError } from '@shared/errors';
import type { ChunkRegistry } from '@repo/chunks';
import { isOpenSession, type ChunkRecord, type FileState, type UploadSession } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';
import type { ShareRepository } from '@repo/shares';
import type { UploadSessions } from '@repo/sessions';
import type { TaggedItem } from '@repo/transact';
import { authorizeFile, authorizeSession } from './access';
import { applyChange, reviseItems, type ChangeDeps, type Plan } from './changes';
import { toFileMetadata } from './metadata';

export interface CommitDeps extends ChangeDeps {
  readonly shares: ShareRepository;
  readonly sessions: UploadSessions;
  readonly chunks: ChunkRegistry;
  readonly manifests: ManifestStore;
}

/** How many missing hashes a 409 lists; the count is always exact. */
const MISSING_LISTED = 1_000;

/** Every chunk registered, with the plaintext size the manifest claims. */
async function verifyChunks(deps: CommitDeps, session: UploadSession): Promise<void> {
  const manifest = await deps.manifests.load(session.manifest);
  const problem = chunkProblem(manifest, await deps.chunks.lookup(session.ownerId, manifest.map((c) => c.hash)));
  if (problem) throw problem;
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

export async function commitUpload(
  deps: CommitDeps,
  caller: Caller,
  uploadId: string,
  expectedRevision: number,
  now = new Date(),
): Promise<FileMetadata> {
  let verified = false;
  return applyChange(deps, async (): Promise<Plan<FileMetadata>> => {
    const session = authorizeSession(caller, await deps.sessions.get(uploadId), uploadId);
    if (isOpenSession(session)) throw validationFailed('an open upload is committed with its whole manifest', { field: 'body.manifest' });
    if (session.committed) return { result: await committedResult(deps, session.committed) };
    const { previous, path } = await replaced(deps, caller, session);
    // Chunks never disappear from the registry, so one check survives re-planning after a lost race.
    if (!verified) await verifyChunks(deps, session);
    verified = true;

    const lastSeq = await deps.journal.lastSeq(session.ownerId);
    const currentRevision = previous?.revision ?? 0;
    if (expectedRevision !== currentRevision) throw revisionConflict(expectedRevision, currentRevision, previous?.fileId);

    const next = nextState(session, previous, path, now);
    return {
      write: [...reviseItems(deps, { type: 'put', previous, next, manifest: session.manifest, lastSeq }), ...placeItems(deps, uploadId, next)],
      result: toFileMetadata(next),
    };
  });
}

/** The file's state after committing `session` over `previous` (null: a new file) at `path`. */
export function nextState(session: UploadSession, previous: FileState | null, path: string, now: Date): FileState {
  const revision = (previous?.revision ?? 0) + 1;
  return {
    fileId: previous?.fileId ?? randomUUID(),
    ownerId: session.ownerId,
    path,
    name: baseName(path),
    size: session.size,
    mimeType: session.mimeType,
    contentHash: session.contentHash,
    revision,
    status: 'uploaded',
    chunkCount: session.chunkCount,
    createdAt: previous?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    contentRevision: revision,
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
