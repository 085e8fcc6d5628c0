/**
 * What each route accepts: the schemas of its path parameters, query and body, by route id. The
 * handlers validate with exactly these (one precompiled validator per route), the fuzz suite
 * (test/fuzz) generates requests from them, so a new route needs an entry here to compile at all.
 */
import type { TSchema } from '@sinclair/typebox';
import type { RouteId } from './routes';
import * as S from './schemas';

export interface RouteRequest {
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
}

export const ROUTE_REQUESTS = {
  health: {},
  startUpload: { body: S.StartUploadBody },
  uploadUrls: { params: S.UploadIdParams, body: S.UploadUrlsRequest },
  commitUpload: { params: S.UploadIdParams, body: S.CommitRequest },
  startUploadBatch: { body: S.BatchStartRequest },
  startPackUploads: { body: S.StartPacksRequest },
  commitUploadBatch: { body: S.BatchCommitRequest },
  listFolder: { query: S.ListFolderQuery },
  makeFolder: { body: S.MakeFolderRequest },
  moveFolder: { body: S.MoveFolderRequest },
  deleteFolder: { body: S.DeleteFolderRequest },
  getMetadata: { params: S.FileIdParams },
  lookupPath: { query: S.LookupPathQuery },
  getDownload: { params: S.FileIdParams, query: S.DownloadQuery },
  downloadBatch: { body: S.DownloadBatchRequest },
  deleteFile: { params: S.FileIdParams, query: S.DeleteQuery },
  moveFile: { params: S.FileIdParams, body: S.MoveRequest },
  startRevisionUpload: { params: S.FileIdParams, body: S.StartRevisionUploadBody },
  shareFile: { params: S.FileIdParams, body: S.ShareRequest },
  listCollaborators: { params: S.FileIdParams },
  revokeShare: { params: S.ShareParams },
  listShared: { query: S.ListSharedQuery },
  listChanges: { query: S.ChangesQuery },
  listVersions: { params: S.FileIdParams, query: S.ListVersionsQuery },
  restoreVersion: { params: S.RevisionParams, body: S.RestoreVersionRequest },
  listTrash: { query: S.ListTrashQuery },
  restoreTrash: { body: S.RestoreTrashRequest },
  purgeTrash: { body: S.PurgeTrashRequest },
} as const satisfies Record<RouteId, RouteRequest>;
