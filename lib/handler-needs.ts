import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ApiHandler, servesAuthorizedRoutes } from './source-layout';
import type { Auth } from './constructs/auth';
import type { BucketAccess, ChunkBucket } from './constructs/chunk-bucket';
import type { Downloads } from './constructs/downloads';
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
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
}

/**
 * Least privilege, per handler, in one table a reviewer can read top to bottom. Keyed by the handler
 * names in contract/routes.ts, so a new route without an entry here fails to compile.
 * Upload handlers list up to 40,000 chunks, hence more memory and API Gateway's 29 s ceiling.
 */
export const API_HANDLER_NEEDS: Record<ApiHandler, HandlerNeeds> = {
  health: { userPool: true },
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
    fileTable: 'readPut',
    sharedTable: 'read',
    bucket: ['presignChunkPut', 'verifyChunks', 'readManifests', 'presignStagedPut', 'verifyStaged', 'placeChunks'],
    memorySize: 1024,
    timeoutSeconds: 29,
  },
  // The commit of an open upload brings its manifest, kept in S3 when large (domain/open-uploads.ts).
  'commit-upload': { fileTable: 'readWrite', sharedTable: 'read', bucket: ['readManifests', 'writeManifests'], memorySize: 1024, timeoutSeconds: 29 },
  // Batches of small files: paths of the caller's own namespace only, so no shares are read at the start.
  'start-upload-batch': { fileTable: 'readWrite', bucket: ['presignChunkPut', 'writeManifests'], memorySize: 1024, timeoutSeconds: 29 },
  // Sessions the batch cannot pack (a revision by file id) are committed one by one, which reads the editor's grant.
  'commit-upload-batch': { fileTable: 'readWrite', sharedTable: 'read', bucket: ['readManifests'], memorySize: 1024, timeoutSeconds: 29 },
  'list-folder': { fileTable: 'read' },
  'get-metadata': { fileTable: 'read', sharedTable: 'read' },
  'get-download': { fileTable: 'read', sharedTable: 'read', bucket: ['readManifests'], downloadSigner: true, memorySize: 1024, timeoutSeconds: 29 },
  'download-batch': { fileTable: 'read', sharedTable: 'read', bucket: ['readManifests'], downloadSigner: true, memorySize: 1024, timeoutSeconds: 29 },
  // Deleting a file ends its shares (queries them by file, deletes them).
  'delete-file': { fileTable: 'readWrite', sharedTable: 'readWrite' },
  'move-file': { fileTable: 'readWrite', sharedTable: 'read' },
  // Sharing writes shares in a transaction guarded by a condition check on the file item (a read action).
  'share-file': { fileTable: 'read', sharedTable: 'readWrite', userDirectory: true },
  'list-collaborators': { fileTable: 'read', sharedTable: 'read' },
  'revoke-share': { fileTable: 'read', sharedTable: 'readWrite' },
  'list-shared': { fileTable: 'read', sharedTable: 'read' },
  // The caller's journal, the journals of owners sharing files with the caller, and its grants.
  'list-changes': { fileTable: 'read', sharedTable: 'read' },
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
 * the registry, write registry and held-chunk items with PutItem only. Hashing a 16 MiB chunk (gunzip
 * first when compressed) is CPU-bound, and memory buys CPU.
 */
export const CHUNK_TRACKER_NEEDS: HandlerNeeds = {
  fileTable: 'readPut',
  bucket: ['verifyChunks', 'verifyStaged', 'placeChunks'],
  memorySize: 1024,
  timeoutSeconds: 120,
};

/**
 * The data migrations (lambdas/migrations): onEvent reads and writes their progress items; isComplete
 * walks the table (Scan), reads revisions and manifests, and rewrites items conditionally.
 */
export const DATA_MIGRATION_NEEDS = {
  onEvent: { fileTable: 'readPut', bucket: [] },
  isComplete: { fileTable: 'readWrite', bucket: ['readManifests'], memorySize: 1024, timeoutSeconds: 900 },
} as const satisfies Record<string, HandlerNeeds>;

export interface NeedProviders {
  readonly tables: Tables;
  readonly chunkBucket: ChunkBucket;
  readonly auth: Auth;
  readonly downloads: Downloads;
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
}
