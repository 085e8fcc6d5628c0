/**
 * Open uploads: the session starts before the client knows the whole file, so it can send each chunk
 * as soon as it is cut and hashed instead of reading the file twice (once for the manifest, once to
 * send). The start names the target, the size and the chunks known so far (maybe none) under a key
 * the client picked; URLs for the chunks cut next come from POST /uploads/{id}/urls; the commit brings
 * the whole manifest. That commit is carried out as the closed session of that content would be
 * (uploads.ts: the same deterministic id, the same checks, commit.ts): so a retried commit answers the
 * same revision, content already committed at its target makes no new revision, and every rule the
 * closed path enforces (declared content, registered chunks, who may write) holds here unchanged.
 */
import { createHash } from 'node:crypto';
import { lookup as mimeLookup } from 'mime-types';
import { LIMITS } from '@contract/limits';
import { baseName, pathKey } from '@contract/paths';
import type { CommitManifest, FileMetadata, OpenRevisionUploadRequest, OpenUploadRequest, StartUploadResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { validationFailed } from '@shared/errors';
import { isOpenSession, type OpenUploadSession } from '@repo/items';
import { authorizeSession } from './access';
import { commitUpload, type CommitDeps } from './commit';
import { filePath } from './paths';
import {
  checkDeclaredContent,
  currentAt,
  ensureSession,
  missingChunks,
  revisionTarget,
  revisionUploadIdFor,
  startAnswer,
  uploadIdFor,
  type Target,
  type UploadDeps,
} from './uploads';

/** Same uploader, target and session key -> same id (so a retried start finds its session); never a closed session's id. */
function openUploadIdFor(scope: string, sessionKey: string): string {
  return createHash('sha256').update(`open\n${scope}\n${sessionKey}\n`).digest('hex').slice(0, 32);
}

/** The chunks listed so far must fit in the declared size (the commit checks that all of them add up to it). */
function checkOpenContent(req: OpenRevisionUploadRequest): void {
  const listed = req.chunks.reduce((total, c) => total + c.size, 0);
  if (listed > req.size) throw validationFailed(`the chunks listed add up to ${listed} bytes, more than the declared size ${req.size}`, { field: 'body.chunks' });
}

/** Creates the open session for `target` unless a retried start finds it; answers which of the listed chunks are missing. */
async function openSession(deps: UploadDeps, target: Target, req: OpenRevisionUploadRequest, now: Date): Promise<StartUploadResponse> {
  if ((await deps.sessions.get(target.uploadId)) === undefined) {
    const session: OpenUploadSession = {
      open: true,
      uploadId: target.uploadId,
      ownerId: target.ownerId,
      path: target.path,
      size: req.size,
      mimeType: req.mimeType ?? (mimeLookup(baseName(target.path)) || 'application/octet-stream'),
      createdAt: now.toISOString(),
      ttl: Math.floor(now.getTime() / 1000) + LIMITS.uploadSessionTtlSeconds,
      ...(target.uploaderId === undefined ? {} : { uploaderId: target.uploaderId }),
      ...(target.fileId === undefined ? {} : { fileId: target.fileId }),
    };
    await deps.sessions.put(session);
  }
  const missing = await missingChunks(deps.chunks, target.ownerId, req.chunks.map((c) => c.hash));
  return startAnswer(deps, target, req, missing, now);
}

/** POST /uploads with `sessionKey`: an open upload to a path of the caller's own namespace. */
export async function openUpload(deps: UploadDeps, caller: Caller, req: OpenUploadRequest, now = new Date()): Promise<StartUploadResponse> {
  const path = filePath(req.path);
  checkOpenContent(req);
  const ownerId = caller.userId;
  const current = currentAt(await deps.files.getPathEntry(ownerId, path));
  return openSession(deps, { uploadId: openUploadIdFor(`${ownerId}\n${pathKey(path)}`, req.sessionKey), ownerId, path, current }, req, now);
}

/** POST /files/{fileId}/uploads with `sessionKey`: an open upload of a file's next revision (by its owner or an editor). */
export async function openRevisionUpload(deps: UploadDeps, caller: Caller, fileId: string, req: OpenRevisionUploadRequest, now = new Date()): Promise<StartUploadResponse> {
  checkOpenContent(req);
  return openSession(deps, await revisionTarget(deps, caller, fileId, openUploadIdFor(`${caller.userId}\nfile:${fileId}`, req.sessionKey)), req, now);
}

/**
 * POST /uploads/{uploadId}/commit with `manifest`: the open session becomes the closed session of
 * that content (written unless it exists and can go on), which is then committed as any other.
 */
export async function commitOpenUpload(
  deps: UploadDeps & CommitDeps,
  caller: Caller,
  uploadId: string,
  manifest: CommitManifest,
  expectedRevision: number,
  now = new Date(),
): Promise<FileMetadata> {
  const open = authorizeSession(caller, await deps.sessions.get(uploadId), uploadId);
  if (!isOpenSession(open)) throw validationFailed('this upload declared its manifest at its start: commit it without one', { field: 'body.manifest' });
  const content = { size: open.size, mimeType: open.mimeType, ...manifest };
  checkDeclaredContent(content);
  const target: Target =
    open.fileId === undefined
      ? {
          uploadId: uploadIdFor(open.ownerId, open.path, manifest.contentHash, manifest.chunks),
          ownerId: open.ownerId,
          path: open.path,
          current: currentAt(await deps.files.getPathEntry(open.ownerId, open.path)),
        }
      : await revisionTarget(deps, caller, open.fileId, revisionUploadIdFor(caller.userId, open.fileId, manifest.contentHash, manifest.chunks));
  await ensureSession(deps, target, content, now);
  return commitUpload(deps, caller, target.uploadId, expectedRevision, now);
}
