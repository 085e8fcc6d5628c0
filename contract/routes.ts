/**
 * The HTTP API: one source of truth for every route. lib/ builds API Gateway routes and one Lambda
 * per `handler` from this table; the client builds its requests from it; the local runtime reads the
 * synthesized template (which came from here).
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** File name (without .ts) under lambdas/api/ that serves this route. */
  readonly handler: string;
  /** False only for the health check; every other route sits behind the JWT authorizer. */
  readonly auth: boolean;
}

export const ROUTES = {
  health: { method: 'GET', path: '/health', handler: 'health', auth: false },
  startUpload: { method: 'POST', path: '/uploads', handler: 'start-upload', auth: true },
  uploadUrls: { method: 'POST', path: '/uploads/{uploadId}/urls', handler: 'upload-urls', auth: true },
  commitUpload: { method: 'POST', path: '/uploads/{uploadId}/commit', handler: 'commit-upload', auth: true },
  /** Many small files: starts and commits a thousand uploads per request. */
  startUploadBatch: { method: 'POST', path: '/upload-batches', handler: 'start-upload-batch', auth: true },
  commitUploadBatch: { method: 'POST', path: '/upload-batches/commit', handler: 'commit-upload-batch', auth: true },
  /** Presigned PUTs for packs of small blobs (lambdas/README.md, "Packs"). */
  startPackUploads: { method: 'POST', path: '/packs', handler: 'start-pack-uploads', auth: true },
  listFolder: { method: 'GET', path: '/folders', handler: 'list-folder', auth: true },
  /** Creates a folder (and its ancestors); an existing folder is no error. */
  makeFolder: { method: 'POST', path: '/folders', handler: 'make-folder', auth: true },
  /** Moves or renames a folder with everything in it: one request, one change in the feed (lambdas/README.md). */
  moveFolder: { method: 'POST', path: '/folders/move', handler: 'move-folder', auth: true },
  /** Puts a folder's files in the trash as one group and removes the folder: one request, one change in the feed. */
  deleteFolder: { method: 'POST', path: '/folders/delete', handler: 'delete-folder', auth: true },
  getMetadata: { method: 'GET', path: '/files/{fileId}', handler: 'get-metadata', auth: true },
  lookupPath: { method: 'GET', path: '/paths', handler: 'get-metadata', auth: true },
  getDownload: { method: 'GET', path: '/files/{fileId}/download', handler: 'get-download', auth: true },
  /** Many small files: the first download page of a thousand files, named by id or path, per request. */
  downloadBatch: { method: 'POST', path: '/download-batches', handler: 'download-batch', auth: true },
  deleteFile: { method: 'DELETE', path: '/files/{fileId}', handler: 'delete-file', auth: true },
  moveFile: { method: 'POST', path: '/files/{fileId}/move', handler: 'move-file', auth: true },
  /** A new revision of an existing file, named by id (how an editor of a shared file uploads). */
  startRevisionUpload: { method: 'POST', path: '/files/{fileId}/uploads', handler: 'start-upload', auth: true },
  shareFile: { method: 'PUT', path: '/files/{fileId}/shares', handler: 'share-file', auth: true },
  listCollaborators: { method: 'GET', path: '/files/{fileId}/shares', handler: 'list-collaborators', auth: true },
  /** Ends a share or an invitation, named by the collaborator id the listing gives. */
  revokeShare: { method: 'DELETE', path: '/files/{fileId}/shares/{collaboratorId}', handler: 'revoke-share', auth: true },
  listShared: { method: 'GET', path: '/shared', handler: 'list-shared', auth: true },
  /** The change feed: the caller's journal, and changes to files shared with the caller, from a cursor. */
  listChanges: { method: 'GET', path: '/changes', handler: 'list-changes', auth: true },
  /** A file's versions (its revisions that brought content), newest first: who made each, from which device. */
  listVersions: { method: 'GET', path: '/files/{fileId}/versions', handler: 'list-versions', auth: true },
  /** Makes an earlier version the file's content again, as a new revision (no chunk is sent). */
  restoreVersion: { method: 'POST', path: '/files/{fileId}/versions/{revision}/restore', handler: 'restore-version', auth: true },
  /** The caller's trash: deleted files, newest deletion first. */
  listTrash: { method: 'GET', path: '/trash', handler: 'list-trash', auth: true },
  /** Brings a deleted file (or a group deleted together) back, under a new name where its path is taken. */
  restoreTrash: { method: 'POST', path: '/trash/restore', handler: 'restore-trash', auth: true },
  /** Deletes trashed files for good: one, a group, or the whole trash. */
  purgeTrash: { method: 'POST', path: '/trash/purge', handler: 'purge-trash', auth: true },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof ROUTES;

/**
 * The request header naming the device a change comes from (the CLI sends the host name or the sync
 * folder's device name), percent-encoded as encodeURIComponent does (header values are bytes, names
 * need not be ASCII). Recorded with each revision and trash entry; the decoded name is at most
 * LIMITS.maxDeviceNameBytes bytes, without control characters.
 */
export const DEVICE_HEADER = 'x-tote-device';

/** Fills `{param}` placeholders; every value is URI-encoded. */
export function routePath(route: RouteSpec, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${route.path}`);
    return encodeURIComponent(value);
  });
}

/** The API Gateway route key, e.g. `POST /uploads`. */
export const routeKey = (route: RouteSpec): string => `${route.method} ${route.path}`;
