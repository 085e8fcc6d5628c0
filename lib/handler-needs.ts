import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV } from '@contract/env';
import { type ApiHandler, type PushHandler, servesAuthorizedRoutes } from './source-layout';
import type { Auth } from './constructs/auth';
import type { BucketAccess, ChunkBucket } from './constructs/chunk-bucket';
import type { Downloads } from './constructs/downloads';
import type { Push } from './constructs/push';
import type { TableAccess } from './constructs/service-table';
import type { Tables } from './constructs/tables';

/**
 * What one function needs: each resource entry becomes an environment variable plus the matching IAM
 * grant; sizes default to ServiceFunction's (512 MB, 10 s).
 */
export interface HandlerNeeds {
  readonly fileTable?: TableAccess;
  readonly sharedTable?: TableAccess;
  readonly bucket?: readonly BucketAccess[];
  /** User pool and CLI client ids in the environment (no IAM rights). */
  readonly userPool?: boolean;
  /** The user pool id in the environment and cognito-idp:ListUsers on it (finding users by email). */
  readonly userDirectory?: boolean;
  /** The user pool id in the environment and cognito-idp:AdminGetUser on it (is the caller's account still active). */
  readonly accountCheck?: boolean;
  /** CloudFront base URL, key pair id and read access to the signing key secret. */
  readonly downloadSigner?: boolean;
  /** The retention setting (RETENTION_DAYS), for handlers that show or apply expiry. */
  readonly retention?: boolean;
  /** The push channel's WebSocket URL in the environment (no IAM rights). */
  readonly pushUrl?: boolean;
  /** The push channel's management endpoint and the right to post to its connections. */
  readonly pushSender?: boolean;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
}

/**
 * Least privilege, per handler, in one table a reviewer can read top to bottom. Keyed by the handler
 * names in contract/routes.ts, so a new route without an entry here fails to compile.
 * Upload handlers list up to 40,000 chunks, hence more memory and API Gateway's 29 s ceiling.
 */
export const API_HANDLER_NEEDS: Record<ApiHandler, HandlerNeeds> = {
  // Announces where to sign in and where the push channel is.
  health: { userPool: true, pushUrl: true },
  'start-upload': {
    fileTable: 'readWrite',
    // Reads the caller's grant when an editor uploads a new revision of a file shared with them.
    sharedTable: 'read',
    // An editor's chunks go to its staging keys (domain/staged-chunks.ts).
    bucket: ['presignChunkPut', 'presignStagedPut', 'writeManifests'],
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  // Verifies stored-but-unregistered chunks itself before signing URLs for them (see domain/uploads.ts);
  // for an editor, its staged ones, as the tracker would (prove, put in place).
  'upload-urls': {
    // readWrite: besides registering verified chunks, it touches the stored ones the client will not send.
    fileTable: 'readWrite',
    sharedTable: 'read',
    bucket: ['presignChunkPut', 'verifyChunks', 'readManifests', 'presignStagedPut', 'verifyStaged', 'placeChunks'],
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  // The commit of an open upload brings its manifest, kept in S3 when large (domain/open-uploads.ts);
  // unregistered chunks that storage holds make the commit pending, not failed (domain/commit-pending.ts).
  'commit-upload': {
    fileTable: 'readWrite',
    sharedTable: 'read',
    bucket: ['readManifests', 'writeManifests', 'seeChunks', 'seeStaged'],
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  // Batches of small files: paths of the caller's own namespace only, so no shares are read at the start.
  'start-upload-batch': { fileTable: 'readWrite', bucket: ['presignChunkPut', 'writeManifests'], memorySize: 1024, timeoutSeconds: 29 },
  // Sessions the batch cannot pack (a revision by file id) are committed one by one, which reads the editor's grant.
  'commit-upload-batch': { fileTable: 'readWrite', sharedTable: 'read', bucket: ['readManifests'], memorySize: 1024, timeoutSeconds: 29 },
  // Packs of small blobs go to the caller's own namespace: a presigned PUT each, nothing read (domain/packs.ts).
  'start-pack-uploads': { bucket: ['presignPackPut'] },
  'list-folder': { fileTable: 'read' },
  'make-folder': { fileTable: 'readWrite' },
  // Folder moves and deletes rewrite up to thousands of files in one request (domain/folder-changes.ts).
  'move-folder': { fileTable: 'readWrite', memorySize: 1024, timeoutSeconds: 29 },
  'delete-folder': { fileTable: 'readWrite', sharedTable: 'readWrite', memorySize: 1024, timeoutSeconds: 29 },
  'get-metadata': { fileTable: 'read', sharedTable: 'read' },
  'get-download': { fileTable: 'read', sharedTable: 'read', bucket: ['readManifests'], downloadSigner: true, memorySize: 1024, timeoutSeconds: 29 },
  'download-batch': { fileTable: 'read', sharedTable: 'read', bucket: ['readManifests'], downloadSigner: true, memorySize: 1024, timeoutSeconds: 29 },
  // Deleting a file ends its shares (queries them by file, deletes them) and says until when the trash keeps it.
  'delete-file': { fileTable: 'readWrite', sharedTable: 'readWrite', retention: true },
  'move-file': { fileTable: 'readWrite', sharedTable: 'read' },
  // Sharing writes shares in a transaction guarded by a condition check on the file item (a read action).
  'share-file': { fileTable: 'read', sharedTable: 'readWrite', userDirectory: true },
  'list-collaborators': { fileTable: 'read', sharedTable: 'read' },
  'revoke-share': { fileTable: 'read', sharedTable: 'readWrite' },
  'list-shared': { fileTable: 'read', sharedTable: 'read' },
  // The caller's journal, the journals of owners sharing files with the caller, and its grants.
  'list-changes': { fileTable: 'read', sharedTable: 'read' },
  // Versions: readers of the file list them (with their authors' emails, by AdminGetUser as the account
  // check asks); writers restore one, relying on its chunks (registry updates) and reading its manifest
  // when it is kept in S3.
  'list-versions': { fileTable: 'read', sharedTable: 'read', retention: true },
  'restore-version': { fileTable: 'readWrite', sharedTable: 'read', bucket: ['readManifests'], timeoutSeconds: 29 },
  // The trash is the owner's own: no shares are read; who deleted each file is named by AdminGetUser, as
  // for versions. Purging all of it works to a 20 s budget.
  'list-trash': { fileTable: 'read', retention: true },
  'restore-trash': { fileTable: 'readWrite', timeoutSeconds: 29 },
  'purge-trash': { fileTable: 'readWrite', timeoutSeconds: 29 },
};

/** What an API handler needs: its row, plus the account check where it serves authorized routes. */
export function apiHandlerNeeds(handler: ApiHandler): HandlerNeeds {
  return { ...API_HANDLER_NEEDS[handler], accountCheck: servesAuthorizedRoutes(handler) };
}

/**
 * The user pool's post-confirmation trigger turns invitations to the new account's address into
 * grants: it reads and deletes invitations and writes grants, guarded on the file being live. Cognito
 * waits 5 seconds for a trigger and calls it again when it times out; claiming is idempotent, so a
 * longer timeout only lets a slow cold start finish its claim instead of starting over.
 */
export const POST_CONFIRMATION_NEEDS: HandlerNeeds = {
  fileTable: 'read',
  sharedTable: 'readWrite',
  timeoutSeconds: 10,
};

/**
 * The chunk tracker: read and delete chunk and staged versions, copy a staged chunk into place, read
 * the registry, write registry, held-chunk and rejected-pack items with PutItem only, read and delete
 * pack versions (a pack is read whole, at most 16 MiB), and touch (UpdateItem) a chunk
 * already in place that a staged upload relies on; never delete an item. Hashing a 16 MiB chunk
 * (gunzip first when compressed) is CPU-bound, and memory buys CPU.
 */
export const CHUNK_TRACKER_NEEDS: HandlerNeeds = {
  fileTable: 'readPutUpdate',
  bucket: ['verifyChunks', 'verifyStaged', 'placeChunks', 'verifyPacks'],
  memorySize: 1024,
  timeoutSeconds: 120,
};

/**
 * The collector's scheduled function: the one-time migration reads the whole table (Scan) and writes
 * trash entries, namespace items, index keys and manifest entries; then it starts the per-namespace
 * function (the invoke grant is the Collector construct's). Lambda's longest timeout.
 */
export const COLLECTOR_SCHEDULE_NEEDS: HandlerNeeds = { fileTable: 'readWrite', timeoutSeconds: 900 };

/**
 * The collector for one namespace: reads and purges metadata, reads manifests kept in S3, and deletes
 * versions of unreferenced chunks and manifests, and of staged chunks nobody's tracker took.
 */
export const COLLECTOR_NAMESPACE_NEEDS: HandlerNeeds = {
  fileTable: 'readWrite',
  bucket: ['readManifests', 'collectChunks', 'collectManifests', 'collectStaged'],
  retention: true,
  memorySize: 1024,
  timeoutSeconds: 900,
};

/**
 * The data migrations (lambdas/migrations): onEvent reads and writes their progress items; isComplete
 * walks the table (Scan), reads revisions and manifests, and rewrites items conditionally.
 */
export const DATA_MIGRATION_NEEDS = {
  onEvent: { fileTable: 'readPut', bucket: [] },
  isComplete: { fileTable: 'readWrite', bucket: ['readManifests'], memorySize: 1024, timeoutSeconds: 900 },
} as const satisfies Record<string, HandlerNeeds>;

/**
 * The push channel (lib/constructs/push.ts). The authorizer verifies tokens against the pool; $connect
 * and $disconnect write and delete one connection item each (no reads); the ping answers from memory;
 * the notifier reads connections and the byFile index, forgets gone connections, posts hints and
 * closes the connections of refused accounts (its stream read rights come with its event sources).
 * Authorizer and notifier ask the pool whether an account is still active, as the HTTP routes do.
 */
export const PUSH_HANDLER_NEEDS: Record<PushHandler, HandlerNeeds> = {
  // The account check of every HTTP route, at $connect and before each hint.
  authorize: { userPool: true, accountCheck: true },
  connect: { fileTable: 'put' },
  disconnect: { fileTable: 'delete' },
  ping: { memorySize: 128 },
  notifier: { fileTable: 'readDelete', sharedTable: 'read', pushSender: true, accountCheck: true, timeoutSeconds: 30 },
};

export interface NeedProviders {
  readonly tables: Tables;
  readonly chunkBucket: ChunkBucket;
  readonly auth: Auth;
  readonly downloads: Downloads;
  /** Days deleted files and replaced versions are kept (the stack's retentionDays). */
  readonly retentionDays: number;
  readonly push: Push;
}

/** Applies one row's resource needs through the owning constructs' bind methods. */
export function bindNeeds(fn: lambda.Function, needs: HandlerNeeds, providers: NeedProviders): void {
  if (needs.fileTable) providers.tables.fileMetadata.bind(fn, needs.fileTable);
  if (needs.sharedTable) providers.tables.sharedFiles.bind(fn, needs.sharedTable);
  if (needs.bucket) providers.chunkBucket.bind(fn, ...needs.bucket);
  if (needs.userPool) providers.auth.bind(fn);
  if (needs.userDirectory) providers.auth.bindDirectory(fn);
  if (needs.accountCheck) providers.auth.bindAccountCheck(fn);
  if (needs.downloadSigner) providers.downloads.bindSigner(fn);
  if (needs.retention) fn.addEnvironment(ENV.retentionDays, String(providers.retentionDays));
  if (needs.pushUrl) providers.push.bindUrl(fn);
  if (needs.pushSender) providers.push.bindSender(fn);
}
