/**
 * Starting (or resuming) an upload and handing out presigned PUT URLs for the chunks the namespace
 * lacks. The upload id is derived from what is uploaded and where, so asking again after a crash
 * finds the same session and answers with only what is still missing. An upload targets a path of
 * the caller's namespace, or an existing file by id (the owner's, or one shared with the caller as editor).
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
import type { ChunkRegistry } from '@repo/chunks';
import type { FileRepository } from '@repo/files';
import { isOpenSession, type AnyUploadSession, type PathEntry, type UploadSession } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';
import type { ChunkPresigner } from '@repo/presigner';
import type { ShareRepository } from '@repo/shares';
import type { UploadSessions } from '@repo/sessions';
import { authorizeFile, authorizeSession } from './access';
import { filePath } from './paths';
import { trackChunk } from './tracker';

export interface UploadDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
  readonly sessions: UploadSessions;
  readonly chunks: ChunkRegistry;
  readonly manifests: ManifestStore;
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

/** SHA-256 of zero bytes: the only content hash a 0-byte file can have. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

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

export function checkDeclaredContent(req: StartRevisionUploadRequest): void {
  const sum = req.chunks.reduce((total, c) => total + c.size, 0);
  if (sum !== req.size) throw validationFailed(`chunk sizes add up to ${sum} bytes, not the declared size ${req.size}`, { field: 'body.chunks' });
  if (req.size === 0 && req.contentHash !== EMPTY_SHA256) {
    throw validationFailed('a 0-byte file must have the SHA-256 of empty content', { field: 'body.contentHash' });
  }
}

/** Hashes not registered yet, each once, in manifest order (a file may repeat a chunk). */
export async function missingChunks(chunks: ChunkRegistry, ownerId: string, hashes: readonly string[]): Promise<string[]> {
  return unregistered(hashes, await chunks.lookup(ownerId, hashes));
}

/** The hashes not among `registered`, each once, in the order given. */
export function unregistered(hashes: readonly string[], registered: ReadonlyMap<string, unknown>): string[] {
  return [...new Set(hashes)].filter((h) => !registered.has(h));
}

export async function presignAll(deps: PathUploadDeps, ownerId: string, hashes: readonly string[], compression: Compression): Promise<PresignedPut[]> {
  return Promise.all(hashes.map((h) => deps.presigner.presignPut(ownerId, h, compression)));
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
export interface Target {
  readonly uploadId: string;
  readonly ownerId: string;
  readonly path: string;
  readonly current: Current;
  /** Set when the uploader is not the owner (an editor of a shared file). */
  readonly uploaderId?: string;
  /** Set for uploads started by file id. */
  readonly fileId?: string;
}

/** A fresh session for `target` (its manifest saved where it fits). */
export async function newSession(deps: PathUploadDeps, target: Target, req: StartRevisionUploadRequest, now: Date): Promise<UploadSession> {
  const { uploadId, ownerId, path } = target;
  return {
    uploadId,
    ownerId,
    path,
    size: req.size,
    contentHash: req.contentHash,
    mimeType: req.mimeType ?? (mimeLookup(baseName(path)) || 'application/octet-stream'),
    chunkCount: req.chunks.length,
    manifest: await deps.manifests.save(ownerId, req.chunks),
    createdAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + LIMITS.uploadSessionTtlSeconds,
    ...(target.uploaderId === undefined ? {} : { uploaderId: target.uploaderId }),
    ...(target.fileId === undefined ? {} : { fileId: target.fileId }),
  };
}

/** The answer to a start: the missing chunks, and URLs for the first of them signed for the compression asked for. */
export async function startAnswer(deps: PathUploadDeps, target: Target, req: Pick<StartRevisionUploadRequest, 'compression'>, missing: string[], now: Date): Promise<StartUploadResponse> {
  return {
    uploadId: target.uploadId,
    missing,
    urls: await presignAll(deps, target.ownerId, missing.slice(0, LIMITS.uploadUrlBatch), req.compression ?? 'none'),
    existing: target.current,
    expiresAt: urlsExpireAt(now),
  };
}

/** Writes a fresh session for `target` unless the one there (a resumed or retried upload) can go on. */
export async function ensureSession(deps: PathUploadDeps, target: Target, req: StartRevisionUploadRequest, now: Date): Promise<void> {
  const session = await deps.sessions.get(target.uploadId);
  if (session === undefined || !isReusable(session, target.current)) await deps.sessions.put(await newSession(deps, target, req, now));
}

/** Creates (or resumes) the session for `target` and answers with what is missing, in the owner's namespace. */
async function openSession(deps: UploadDeps, target: Target, req: StartRevisionUploadRequest, now: Date): Promise<StartUploadResponse> {
  await ensureSession(deps, target, req, now);
  const missing = await missingChunks(deps.chunks, target.ownerId, req.chunks.map((c) => c.hash));
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
  checkDeclaredContent(req);
  const ownerId = caller.userId;
  const current = currentAt(await deps.files.getPathEntry(ownerId, path));
  return openSession(deps, { uploadId: uploadIdFor(ownerId, path, req.contentHash, req.chunks), ownerId, path, current }, req, now);
}

/**
 * POST /files/{fileId}/uploads: the next revision of a file, by the owner or an editor. The chunks go
 * to the owner's namespace, where the file's other revisions are; so the answer's `missing` tells an
 * editor which of these chunks the owner already holds. That is acceptable only because an editor
 * may read the whole file anyway; dedup never reaches across namespaces otherwise.
 */
export async function startRevisionUpload(
  deps: UploadDeps,
  caller: Caller,
  fileId: string,
  req: StartRevisionUploadRequest,
  now = new Date(),
): Promise<StartUploadResponse> {
  checkDeclaredContent(req);
  const target = await revisionTarget(deps, caller, fileId, revisionUploadIdFor(caller.userId, fileId, req.contentHash, req.chunks));
  return openSession(deps, target, req, now);
}

/** Where the next revision of a file by id goes, read fresh: the file must exist and the caller may write it. */
export async function revisionTarget(deps: UploadDeps, caller: Caller, fileId: string, uploadId: string): Promise<Target> {
  const file = await authorizeFile(deps, caller, fileId, 'write');
  if (file.status === 'deleted') throw notFound();
  const uploader = caller.userId === file.ownerId ? {} : { uploaderId: caller.userId };
  return { uploadId, ownerId: file.ownerId, path: file.path, current: { fileId, revision: file.revision }, fileId, ...uploader };
}

/**
 * A chunk can sit in storage unregistered: its notification was lost or failed for good, or a lenient
 * S3 kept the partial body of a killed PUT. A conditional PUT (If-None-Match) can never replace such
 * an object, so when a client meets one (a 412 for a chunk the service still lists as missing) it
 * asks for URLs with `verify`, and the service checks each key itself, as the tracker would: good
 * bytes are registered, bad ones deleted. Only what is then still missing needs sending.
 */
async function settleStoredChunks(deps: UploadUrlsDeps, ownerId: string, hashes: readonly string[]): Promise<string[]> {
  const limit = pLimit(VERIFY_CONCURRENCY);
  const tracker = { objects: deps.objects, registry: deps.chunks };
  const outcomes = await Promise.all(
    hashes.map((hash) => limit(() => trackChunk(tracker, { bucket: deps.bucket, key: S3_LAYOUT.chunkKey(ownerId, hash) }))),
  );
  return hashes.filter((_, i) => outcomes[i] === 'gone' || outcomes[i] === 'rejected');
}

/** More URLs for a session: only for hashes of its manifest that are still missing. */
export async function uploadUrls(deps: UploadUrlsDeps, caller: Caller, uploadId: string, req: UploadUrlsRequest): Promise<UploadUrlsResponse> {
  const session = authorizeSession(caller, await deps.sessions.get(uploadId), uploadId);
  // An editor whose share ended (or became viewer) since the start gets no more URLs into the owner's namespace.
  if (session.fileId !== undefined) await authorizeFile(deps, caller, session.fileId, 'write');
  // An open session has no manifest yet: it names its chunks as it cuts them (its commit brings them all).
  if (!isOpenSession(session)) {
    const manifest = new Set((await deps.manifests.load(session.manifest)).map((c) => c.hash));
    const foreign = req.hashes.filter((h) => !manifest.has(h));
    if (foreign.length > 0) {
      throw validationFailed(`${foreign.length} requested hash(es) are not chunks of this upload`, { field: 'body.hashes', hashes: foreign.slice(0, 100) });
    }
  }
  const unregistered = await missingChunks(deps.chunks, session.ownerId, req.hashes);
  // Reading every key costs a request each (seconds per batch); only a client that met an object it cannot overwrite asks for it.
  const missing = req.verify ? await settleStoredChunks(deps, session.ownerId, unregistered) : unregistered;
  return { urls: await presignAll(deps, session.ownerId, missing, req.compression ?? 'none'), missing };
}
