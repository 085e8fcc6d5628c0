/**
 * Starting (or resuming) an upload and handing out presigned PUT URLs for the chunks it must send.
 * The upload id is derived from what is uploaded and where, so asking again after a crash finds the
 * same session and answers with only what is still missing. An upload targets a path of the caller's
 * namespace, or an existing file by id (the owner's, or one shared with the caller as editor). An
 * uploader who is not the owner may skip only chunks it is entitled to (entitlement.ts); its URLs
 * point at its own staging keys (staged-chunks.ts).
 */
import { createHash } from 'node:crypto';
import { lookup as mimeLookup } from 'mime-types';
import pLimit from 'p-limit';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { baseName, pathKey } from '@contract/paths';
import type {
  ChunkRef,
  Compression,
  PresignedPut,
  StartRevisionUploadRequest,
  StartUploadRequest,
  StartUploadResponse,
  UploadUrlsRequest,
  UploadUrlsResponse,
} from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, pathConflict, validationFailed } from '@shared/errors';
import type { ChunkObjects } from '@repo/chunk-objects';
import { isOpenSession, type AnyUploadSession, type PathEntry, type UploadSession } from '@repo/items';
import type { ChunkPresigner } from '@repo/presigner';
import type { ShareRepository } from '@repo/shares';
import type { UploadSessions } from '@repo/sessions';
import { authorizeFile, authorizeSession } from './access';
import { checkDeclaredContent } from './declared-content';
import { usableChunks, type EntitlementDeps, type Uploader } from './entitlement';
import { filePath } from './paths';
import { trackStagedChunk } from './staged-chunks';
import { trackChunk } from './tracker';

export interface UploadDeps extends EntitlementDeps {
  readonly shares: ShareRepository;
  readonly sessions: UploadSessions;
  readonly presigner: ChunkPresigner;
}

/** What uploads to paths of the caller's own namespace need (no shares are involved). */
export type PathUploadDeps = Omit<UploadDeps, 'shares'>;

/** What handing out more URLs needs besides: the chunk objects, to verify those already stored. */
export interface UploadUrlsDeps extends UploadDeps {
  readonly objects: ChunkObjects;
  readonly bucket: string;
}

/** Stored chunks verified at once while handing out URLs (each read is at most one chunk). */
const VERIFY_CONCURRENCY = 8;

const UPLOAD_ID_HEX_CHARS = 32;

function contentId(scope: string, contentHash: string, chunks: readonly ChunkRef[]): string {
  const h = createHash('sha256');
  h.update(`${scope}\n${contentHash}\n`);
  for (const c of chunks) h.update(`${c.hash}:${c.size}\n`);
  return h.digest('hex').slice(0, UPLOAD_ID_HEX_CHARS);
}

/** Same owner, path (ignoring case), content and chunking -> same id, hence the same session. */
export function uploadIdFor(ownerId: string, path: string, contentHash: string, chunks: readonly ChunkRef[]): string {
  return contentId(`${ownerId}\n${pathKey(path)}`, contentHash, chunks);
}

/** Same uploader, target file, content and chunking -> same id. Never equal to a path upload's (paths start with '/'). */
export function revisionUploadIdFor(uploaderId: string, fileId: string, contentHash: string, chunks: readonly ChunkRef[]): string {
  return contentId(`${uploaderId}\nfile:${fileId}`, contentHash, chunks);
}

/** Hashes not usable yet, each once, in manifest order (a file may repeat a chunk). */
export async function missingChunks(deps: EntitlementDeps, uploader: Uploader, hashes: readonly string[]): Promise<string[]> {
  return unregistered(hashes, await usableChunks(deps, uploader, hashes));
}

/** The hashes not among `registered`, each once, in the order given. */
export function unregistered(hashes: readonly string[], registered: ReadonlyMap<string, unknown>): string[] {
  return [...new Set(hashes)].filter((h) => !registered.has(h));
}

/** Where an uploader's PUT of chunk `hash` goes: the namespace itself for its owner, the uploader's staging key for anyone else. */
export const putKeyFor = (uploader: Uploader, hash: string): string =>
  uploader.uploaderId === undefined ? S3_LAYOUT.chunkKey(uploader.ownerId, hash) : S3_LAYOUT.stagedKey(uploader.ownerId, uploader.uploaderId, hash);

export async function presignAll(deps: Pick<UploadDeps, 'presigner'>, uploader: Uploader, hashes: readonly string[], compression: Compression): Promise<PresignedPut[]> {
  const { ownerId, uploaderId } = uploader;
  return Promise.all(
    hashes.map((h) =>
      uploaderId === undefined ? deps.presigner.presignPut(ownerId, h, compression) : deps.presigner.presignStagedPut(ownerId, uploaderId, h, compression),
    ),
  );
}

export const urlsExpireAt = (now: Date) => new Date(now.getTime() + LIMITS.uploadUrlTtlSeconds * 1000).toISOString();

/** The file an upload replaces, if any. */
export type Current = { readonly fileId: string; readonly revision: number } | null;

/**
 * A committed session is still "the" session while the file it produced is the current one at its
 * target: uploading the same bytes again is then a no-op whose commit answers with that revision.
 * Once the target moved on, the same content is a new upload.
 */
export function isReusable(session: AnyUploadSession, current: Current): boolean {
  if (isOpenSession(session) || session.committed === undefined) return true;
  return current !== null && current.fileId === session.committed.fileId && current.revision === session.committed.revision;
}

/** Where an upload goes and who sends it; the session is keyed and owned accordingly. */
export interface Target extends Uploader {
  readonly uploadId: string;
  readonly path: string;
  readonly current: Current;
}

/** A fresh session for `target` with content whose hash the service computed (its manifest saved where it fits). */
export async function newSession(
  deps: Pick<UploadDeps, 'manifests'>,
  target: Target,
  req: StartRevisionUploadRequest,
  contentHash: string,
  now: Date,
): Promise<UploadSession> {
  const { uploadId, ownerId, path } = target;
  return {
    uploadId,
    ownerId,
    path,
    size: req.size,
    contentHash,
    mimeType: req.mimeType ?? (mimeLookup(baseName(path)) || 'application/octet-stream'),
    chunkCount: req.chunks.length,
    manifest: await deps.manifests.save(ownerId, req.chunks),
    createdAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + LIMITS.uploadSessionTtlSeconds,
    ...(target.uploaderId === undefined ? {} : { uploaderId: target.uploaderId }),
    ...(target.fileId === undefined ? {} : { fileId: target.fileId }),
    ...(target.baseContentRevision === undefined ? {} : { baseContentRevision: target.baseContentRevision }),
  };
}

/** The answer to a start: the missing chunks, and URLs for the first of them signed for the compression asked for. */
export async function startAnswer(deps: Pick<UploadDeps, 'presigner'>, target: Target, req: Pick<StartRevisionUploadRequest, 'compression'>, missing: string[], now: Date): Promise<StartUploadResponse> {
  return {
    uploadId: target.uploadId,
    missing,
    urls: await presignAll(deps, target, missing.slice(0, LIMITS.uploadUrlBatch), req.compression ?? 'none'),
    existing: target.current,
    expiresAt: urlsExpireAt(now),
  };
}

/**
 * The uploader a session stands for. A non-owner's session keeps the file content it started from;
 * one from before that was recorded falls back to `currentContentRevision` (the file's content now).
 */
export function sessionUploader(session: AnyUploadSession, currentContentRevision?: number): Uploader {
  const base = session.uploaderId === undefined ? undefined : (session.baseContentRevision ?? currentContentRevision);
  return {
    ownerId: session.ownerId,
    ...(session.uploaderId === undefined ? {} : { uploaderId: session.uploaderId }),
    ...(session.fileId === undefined ? {} : { fileId: session.fileId }),
    ...(base === undefined ? {} : { baseContentRevision: base }),
  };
}

/** The session for `target` with content whose hash the service computed: the one there if it (a resumed or retried upload) can go on, else a fresh one. */
export async function ensureSession(deps: PathUploadDeps, target: Target, req: StartRevisionUploadRequest, contentHash: string, now: Date): Promise<UploadSession> {
  const session = await deps.sessions.get(target.uploadId);
  if (session !== undefined && !isOpenSession(session) && isReusable(session, target.current)) return session;
  const fresh = await newSession(deps, target, req, contentHash, now);
  await deps.sessions.put(fresh);
  return fresh;
}

/** Creates (or resumes) the session for `target` and answers with what the uploader must send. */
async function openSession(deps: UploadDeps, target: Target, req: StartRevisionUploadRequest, contentHash: string, now: Date): Promise<StartUploadResponse> {
  const session = await ensureSession(deps, target, req, contentHash, now);
  const missing = await missingChunks(deps, sessionUploader(session, target.baseContentRevision), req.chunks.map((c) => c.hash));
  return startAnswer(deps, target, req, missing, now);
}

/** What is at an upload's path now: nothing, or a file it would replace; a folder there is a conflict. */
export function currentAt(entry: PathEntry | undefined): Current {
  if (entry?.kind === 'folder') throw pathConflict(`${entry.path} is a folder`, entry.path);
  return entry?.kind === 'file' ? { fileId: entry.fileId, revision: entry.revision } : null;
}

/** POST /uploads: content for a path of the caller's own namespace. */
export async function startUpload(deps: UploadDeps, caller: Caller, req: StartUploadRequest, now = new Date()): Promise<StartUploadResponse> {
  const path = filePath(req.path);
  const contentHash = await checkDeclaredContent(req);
  const ownerId = caller.userId;
  const current = currentAt(await deps.files.getPathEntry(ownerId, path));
  return openSession(deps, { uploadId: uploadIdFor(ownerId, path, contentHash, req.chunks), ownerId, path, current }, req, contentHash, now);
}

/**
 * POST /files/{fileId}/uploads: the next revision of a file, by the owner or an editor. The chunks go
 * to the owner's namespace, where the file's other revisions are. An editor may skip only chunks of
 * the file's current content (which it may read) and chunks it sent itself; every other chunk is
 * missing, whether the owner holds it or not.
 */
export async function startRevisionUpload(
  deps: UploadDeps,
  caller: Caller,
  fileId: string,
  req: StartRevisionUploadRequest,
  now = new Date(),
): Promise<StartUploadResponse> {
  const contentHash = await checkDeclaredContent(req);
  const target = await revisionTarget(deps, caller, fileId, revisionUploadIdFor(caller.userId, fileId, contentHash, req.chunks));
  return openSession(deps, target, req, contentHash, now);
}

/**
 * Where the next revision of a file by id goes, read fresh: the file must exist and the caller may
 * write it. A non-owner's target keeps the file content it starts from (what it may skip sending).
 */
export async function revisionTarget(deps: UploadDeps, caller: Caller, fileId: string, uploadId: string): Promise<Target> {
  const file = await authorizeFile(deps, caller, fileId, 'write');
  if (file.status === 'deleted') throw notFound();
  const uploader = caller.userId === file.ownerId ? {} : { uploaderId: caller.userId, baseContentRevision: file.contentRevision };
  return { uploadId, ownerId: file.ownerId, path: file.path, current: { fileId, revision: file.revision }, fileId, ...uploader };
}

/**
 * A chunk can sit in storage unregistered: its notification was lost or failed for good, or a lenient
 * S3 kept the partial body of a killed PUT. A conditional PUT (If-None-Match) can never replace such
 * an object, so when a client meets one (a 412 for a chunk the service still lists as missing) it
 * asks for URLs with `verify`, and the service checks each key the uploader may write itself, as the
 * tracker would: good bytes are registered (or, staged, proven), bad ones deleted. It answers what
 * is still missing and needs sending. A non-owner's keys are its staging keys, so verifying never touches,
 * or tells anything about, the owner's chunks.
 */
async function settleStoredChunks(deps: UploadUrlsDeps, uploader: Uploader, hashes: readonly string[]): Promise<string[]> {
  const limit = pLimit(VERIFY_CONCURRENCY);
  const tracker = { objects: deps.objects, registry: deps.chunks, held: deps.held };
  const usable = await Promise.all(
    hashes.map((hash) =>
      limit(async () => {
        const ref = { bucket: deps.bucket, key: putKeyFor(uploader, hash) };
        if (uploader.uploaderId !== undefined) return (await trackStagedChunk(tracker, ref)) === 'proven';
        const outcome = await trackChunk(tracker, ref);
        return outcome === 'registered' || outcome === 'already-registered';
      }),
    ),
  );
  return hashes.filter((_, i) => !usable[i]);
}

/** More URLs for a session: only for hashes of its manifest that are still missing. */
export async function uploadUrls(deps: UploadUrlsDeps, caller: Caller, uploadId: string, req: UploadUrlsRequest): Promise<UploadUrlsResponse> {
  const session = authorizeSession(caller, await deps.sessions.get(uploadId), uploadId);
  // An editor whose share ended (or became viewer) since the start gets no more URLs into the owner's namespace.
  const file = session.fileId === undefined ? undefined : await authorizeFile(deps, caller, session.fileId, 'write');
  const uploader = sessionUploader(session, file?.contentRevision);
  // An open session has no manifest yet: it names its chunks as it cuts them (its commit brings them all).
  if (!isOpenSession(session)) {
    const manifest = new Set((await deps.manifests.load(session.manifest)).map((c) => c.hash));
    const foreign = req.hashes.filter((h) => !manifest.has(h));
    if (foreign.length > 0) {
      throw validationFailed(`${foreign.length} requested hash(es) are not chunks of this upload`, { field: 'body.hashes', hashes: foreign.slice(0, 100) });
    }
  }
  const unusable = await missingChunks(deps, uploader, req.hashes);
  // Reading every key costs a request each (seconds per batch); only a client that met an object it cannot overwrite asks for it.
  const missing = req.verify ? await settleStoredChunks(deps, uploader, unusable) : unusable;
  return { urls: await presignAll(deps, uploader, missing, req.compression ?? 'none'), missing };
}
