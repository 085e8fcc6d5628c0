/**
 * Version history: a file's versions are its revisions that brought content (uploads and restores),
 * kept for the retention period after a newer one replaced them (retention.ts). Anyone who may read the
 * file may list them; anyone who may write it may restore one, which commits a new revision naming the
 * old manifest: no byte is sent or copied.
 */
import type { FileMetadata, FileVersion, ListVersionsQuery, ListVersionsResponse, RestoreVersionRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { chunksMissing, notFound, revisionConflict, tryAgain } from '@shared/errors';
import type { ChunkRegistry } from '@repo/chunks';
import type { FileRepository } from '@repo/files';
import type { FileState, ManifestRef, RevisionState } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';
import type { ShareRepository } from '@repo/shares';
import { authorizeFile } from './access';
import { authorNames, type AuthorDirectory } from './authors';
import { applyChange, authorship, reviseItems, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { decodeCursor, encodeCursor, pageSize } from './paging';
import { contentRuns, runExpiry, type Retention } from './retention';

export interface VersionReadDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
  readonly directory: AuthorDirectory;
  readonly retention: Retention;
}

export interface RestoreVersionDeps extends ChangeDeps {
  readonly shares: ShareRepository;
  readonly chunks: ChunkRegistry;
  readonly manifests: ManifestStore;
}

interface VersionsCursor {
  readonly fileId: string;
  /** The page continues with versions older than this revision. */
  readonly before: number;
}

export async function listVersions(deps: VersionReadDeps, caller: Caller, fileId: string, query: ListVersionsQuery): Promise<ListVersionsResponse> {
  const file = await authorizeFile(deps, caller, fileId, 'read');
  const limit = pageSize(query.limit);
  const before =
    query.cursor === undefined
      ? Number.POSITIVE_INFINITY
      : decodeCursor(query.cursor, (key): key is VersionsCursor => isVersionsCursor(key, fileId)).before;
  const runs = contentRuns(await deps.files.listRevisions(fileId, { manifests: false }))
    .reverse()
    .filter((run) => run.content < before);
  const page = runs.slice(0, limit);
  const author = await authorNames(deps.directory, page.map((run) => run.revisions[0].changedBy));
  const versions = page.map((run): FileVersion => {
    const head = run.revisions[0];
    const expiresAt = runExpiry(run, deps.retention);
    return {
      revision: head.revision,
      size: head.size,
      contentHash: head.contentHash,
      mimeType: head.mimeType,
      createdAt: head.updatedAt,
      ...(head.changedBy === undefined ? {} : { changedBy: author(head.changedBy) }),
      ...(head.device === undefined ? {} : { device: head.device }),
      current: run.content === file.contentRevision,
      ...(head.restoredFrom === undefined ? {} : { restoredFrom: head.restoredFrom }),
      ...(expiresAt === undefined ? {} : { expiresAt: expiresAt.toISOString() }),
    };
  });
  const last = page[page.length - 1];
  return {
    file: toFileMetadata(file),
    versions,
    ...(runs.length > limit && last ? { cursor: encodeCursor({ fileId, before: last.content } satisfies VersionsCursor) } : {}),
  };
}

function isVersionsCursor(key: unknown, fileId: string): key is VersionsCursor {
  const k = key as Partial<VersionsCursor> | null;
  return typeof k === 'object' && k !== null && k.fileId === fileId && Number.isInteger(k.before) && Object.keys(k).length === 2;
}

/**
 * Makes revision `revision`'s content the file's content again, as its next revision. The transaction
 * checks that the revision holding the manifest still exists, so a purge past retention either comes
 * first (404) or leaves the new revision naming the manifest; the chunks are relied on first, so the
 * collector cannot be deleting one of them.
 */
export async function restoreVersion(
  deps: RestoreVersionDeps,
  caller: Caller,
  fileId: string,
  revision: number,
  req: RestoreVersionRequest,
  now = new Date(),
): Promise<FileMetadata> {
  let relied = false;
  return applyChange(deps, async () => {
    const file = await authorizeFile(deps, caller, fileId, 'write');
    if (file.status === 'deleted') throw notFound('this file is in the trash: restore it from there first');
    if (req.expectedRevision !== undefined && req.expectedRevision !== file.revision) throw revisionConflict(req.expectedRevision, file.revision, fileId);
    const content = await keptContent(deps, file, revision);
    if (content.revision === file.contentRevision) return { result: toFileMetadata(file) };
    if (!relied) await relyOnContent(deps, file.ownerId, content.manifest, now);
    relied = true;

    const lastSeq = await deps.journal.lastSeq(file.ownerId);
    const next: FileState = {
      ...file,
      size: content.size,
      contentHash: content.contentHash,
      mimeType: content.mimeType,
      chunkCount: content.chunkCount,
      revision: file.revision + 1,
      contentRevision: file.revision + 1,
      ...authorship(caller, now),
    };
    return {
      write: [
        ...reviseItems(deps, { type: 'put', previous: file, next, manifest: content.manifest, restoredFrom: content.revision, lastSeq }),
        deps.files.putFilePath(next),
        deps.files.checkRevision(fileId, content.revision),
      ],
      result: toFileMetadata(next),
    };
  });
}

/** The revision that holds `revision`'s content, while it is kept. */
async function keptContent(deps: RestoreVersionDeps, file: FileState, revision: number): Promise<RevisionState & { manifest: ManifestRef }> {
  const gone = () => notFound(`revision ${revision} of this file is not kept (past retention, or it never existed)`);
  if (revision > file.revision) throw gone();
  const state = revision === file.revision ? file : await deps.files.getRevision(file.fileId, revision);
  if (state === undefined || state.status === 'deleted') throw gone();
  const content = await deps.files.getRevision(file.fileId, state.contentRevision);
  if (content?.manifest === undefined) throw gone();
  return content as RevisionState & { manifest: ManifestRef };
}

/** Relies on every object the content is made of (its manifest object when in S3, and its chunks) from `now`. */
async function relyOnContent(deps: RestoreVersionDeps, ownerId: string, manifest: ManifestRef, now: Date): Promise<void> {
  if (manifest.kind === 's3' && !(await deps.chunks.relyOnManifest(ownerId, manifest.hash, manifest.key, now))) {
    throw tryAgain('this version\'s manifest is being checked by the collector; ask again in a moment');
  }
  const hashes = (await deps.manifests.load(manifest)).map((c) => c.hash);
  const present = await deps.chunks.rely(ownerId, hashes, now);
  const missing = [...new Set(hashes.filter((h) => !present.has(h)))];
  if (missing.length > 0) throw chunksMissing(missing.slice(0, 1_000), missing.length);
}
