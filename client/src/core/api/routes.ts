/**
 * What each route of the contract takes and returns, as types for the client and compiled checks
 * for the answers: a service that drifts from the contract fails with a clear UNEXPECTED_RESPONSE
 * instead of an undefined deep inside an engine.
 */
import type { RouteId } from '@contract/routes';
import * as S from '@contract/schemas';
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value, type ValueError } from '@sinclair/typebox/value';

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));

const RESPONSE_SCHEMAS = {
  health: S.HealthResponse,
  startUpload: S.StartUploadResponse,
  uploadUrls: S.UploadUrlsResponse,
  commitUpload: S.CommitResponse,
  startUploadBatch: S.BatchStartResponse,
  startPackUploads: S.StartPacksResponse,
  commitUploadBatch: S.BatchCommitResponse,
  listFolder: S.ListFolderResponse,
  makeFolder: S.MakeFolderResponse,
  moveFolder: S.FolderChangeResponse,
  deleteFolder: S.FolderChangeResponse,
  getMetadata: S.FileMetadata,
  lookupPath: S.FileMetadata,
  getDownload: S.DownloadResponse,
  downloadBatch: S.DownloadBatchResponse,
  deleteFile: S.DeleteFileResponse,
  moveFile: S.FileMetadata,
  startRevisionUpload: S.StartUploadResponse,
  shareFile: S.CollaboratorsResponse,
  listCollaborators: S.CollaboratorsResponse,
  revokeShare: S.RevokeResponse,
  listShared: S.ListSharedResponse,
  listChanges: S.ChangesResponse,
  listVersions: S.ListVersionsResponse,
  restoreVersion: S.FileMetadata,
  listTrash: S.ListTrashResponse,
  restoreTrash: S.RestoreTrashResponse,
  purgeTrash: S.PurgeTrashResponse,
} satisfies Partial<Record<RouteId, TSchema>>;

/**
 * Routes this client speaks. A route added to the contract becomes callable once its answer schema
 * and inputs are listed here and in RouteInputs (so the contract can grow ahead of the client).
 */
export type ClientRoute = keyof typeof RESPONSE_SCHEMAS & keyof RouteInputs;

export type ResponseOf<R extends ClientRoute> = Static<(typeof RESPONSE_SCHEMAS)[R]>;

type NoInput = Record<string, never>;

export interface RouteInputs {
  health: NoInput;
  startUpload: { body: S.StartUploadBody };
  uploadUrls: { params: { uploadId: string }; body: S.UploadUrlsRequest };
  commitUpload: { params: { uploadId: string }; body: S.CommitRequest };
  startUploadBatch: { body: S.BatchStartRequest };
  startPackUploads: { body: S.StartPacksRequest };
  commitUploadBatch: { body: S.BatchCommitRequest };
  listFolder: { query: S.ListFolderQuery };
  makeFolder: { body: S.MakeFolderRequest };
  moveFolder: { body: S.MoveFolderRequest };
  deleteFolder: { body: S.DeleteFolderRequest };
  getMetadata: { params: { fileId: string } };
  lookupPath: { query: Static<typeof S.LookupPathQuery> };
  getDownload: { params: { fileId: string }; query: Static<typeof S.DownloadQuery> };
  downloadBatch: { body: S.DownloadBatchRequest };
  deleteFile: { params: { fileId: string }; query: Static<typeof S.DeleteQuery> };
  moveFile: { params: { fileId: string }; body: S.MoveRequest };
  startRevisionUpload: { params: { fileId: string }; body: S.StartRevisionUploadBody };
  shareFile: { params: { fileId: string }; body: S.ShareRequest };
  listCollaborators: { params: { fileId: string } };
  revokeShare: { params: { fileId: string; collaboratorId: string } };
  listShared: { query: S.ListSharedQuery };
  listChanges: { query: S.ChangesQuery };
  listVersions: { params: { fileId: string }; query: S.ListVersionsQuery };
  restoreVersion: { params: { fileId: string; revision: string }; body: S.RestoreVersionRequest };
  listTrash: { query: S.ListTrashQuery };
  restoreTrash: { body: S.RestoreTrashRequest };
  purgeTrash: { body: S.PurgeTrashRequest };
}

/** Every input part a route may have, for code that handles any route. */
export interface AnyRouteInput {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Routes safe to send again after a failure whose outcome is unknown: reads, the upload steps, which
 * the service makes idempotent (deterministic upload ids, a committed session answers its result),
 * and sharing and revoking (the same share written again, an absent share revoked again, change nothing).
 */
export const RETRY_SAFE_ROUTES: ReadonlySet<ClientRoute> = new Set<ClientRoute>([
  'health',
  'startUpload',
  'uploadUrls',
  'commitUpload',
  'startUploadBatch',
  'commitUploadBatch',
  'listFolder',
  // Creating a folder again changes nothing.
  'makeFolder',
  'getMetadata',
  'lookupPath',
  'getDownload',
  'downloadBatch',
  'startRevisionUpload',
  'shareFile',
  'listCollaborators',
  'revokeShare',
  'listShared',
  'listChanges',
  'listVersions',
  'listTrash',
]);

/** A compiled answer check: TypeBox's compiler where code may be generated, else its interpreter. */
interface AnswerCheck {
  check(value: unknown): boolean;
  firstError(value: unknown): string | undefined;
}

const checks = new Map<ClientRoute, AnswerCheck>();

function compile(schema: TSchema): AnswerCheck {
  try {
    const compiled = TypeCompiler.Compile(schema);
    return { check: (v) => compiled.Check(v), firstError: (v) => describeError(compiled.Errors(v).First()) };
  } catch {
    // A page whose Content-Security-Policy forbids eval: the interpreter gives the same verdicts, slower.
    return { check: (v) => Value.Check(schema, v), firstError: (v) => describeError(Value.Errors(schema, v).First()) };
  }
}

const describeError = (error: ValueError | undefined) => (error ? `${error.path || '/'}: ${error.message}` : undefined);

/** The first problem with an answer to `route`, or undefined when it matches the contract. */
export function responseProblem(route: ClientRoute, value: unknown): string | undefined {
  let check = checks.get(route);
  if (!check) {
    check = compile(RESPONSE_SCHEMAS[route]);
    checks.set(route, check);
  }
  if (check.check(value)) return undefined;
  return check.firstError(value) ?? 'does not match the contract';
}
