/**
 * What each route the web app calls takes and returns, as types from the contract. Only types are
 * imported (no TypeBox in the bundle): the service is ours and the CLI checks the same contract at
 * run time, so the browser spends its bytes on the app instead.
 */
import type { RouteId } from '@contract/routes';
import type * as S from '@contract/schemas';

type Params<K extends string> = { params: Record<K, string> };
type NoInput = Record<string, never>;

export interface WebRoutes {
  health: { input: NoInput; output: S.HealthResponse };
  startUpload: { input: { body: S.StartUploadRequest }; output: S.StartUploadResponse };
  startRevisionUpload: { input: Params<'fileId'> & { body: S.StartRevisionUploadRequest }; output: S.StartUploadResponse };
  uploadUrls: { input: Params<'uploadId'> & { body: S.UploadUrlsRequest }; output: S.UploadUrlsResponse };
  commitUpload: { input: Params<'uploadId'> & { body: S.CommitRequest }; output: S.FileMetadata };
  listFolder: { input: { query: S.ListFolderQuery }; output: S.ListFolderResponse };
  getMetadata: { input: Params<'fileId'>; output: S.FileMetadata };
  getDownload: { input: Params<'fileId'> & { query: { chunkOffset?: string; revision?: string } }; output: S.DownloadResponse };
  deleteFile: { input: Params<'fileId'> & { query: { expectedRevision?: string } }; output: S.FileMetadata };
  moveFile: { input: Params<'fileId'> & { body: S.MoveRequest }; output: S.FileMetadata };
  shareFile: { input: Params<'fileId'> & { body: S.ShareRequest }; output: S.CollaboratorsResponse };
  listCollaborators: { input: Params<'fileId'>; output: S.CollaboratorsResponse };
  revokeShare: { input: Params<'fileId' | 'userId'>; output: S.RevokeResponse };
  listShared: { input: { query: S.ListSharedQuery }; output: S.ListSharedResponse };
}

export type WebRoute = keyof WebRoutes & RouteId;
export type InputOf<R extends WebRoute> = WebRoutes[R]['input'];
export type OutputOf<R extends WebRoute> = WebRoutes[R]['output'];

/** Reads and the idempotent upload steps: safe to send again after a failure whose outcome is unknown. */
export const RETRY_SAFE: ReadonlySet<WebRoute> = new Set<WebRoute>([
  'health', 'startUpload', 'startRevisionUpload', 'uploadUrls', 'commitUpload', 'listFolder', 'getMetadata',
  'getDownload', 'shareFile', 'listCollaborators', 'revokeShare', 'listShared',
]);
