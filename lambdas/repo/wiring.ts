/**
 * Builds the repositories a handler needs from its configuration, once per cold start. Handlers
 * call these at module scope; tests replace the SDK clients underneath with aws-sdk-client-mock.
 */
import { ENV } from '@contract/env';
import { createCognitoClient, createDocumentClient, createLambdaClient, createS3Client } from '@shared/aws';
import { optionalEnv } from '@shared/config';
import { readSecretString } from '@shared/secrets';
import { ChunkObjects } from './chunk-objects';
import { ChunkPresigner } from './presigner';
import { ChunkRegistry } from './chunks';
import { DownloadSigner } from './download-signer';
import { FileRepository } from './files';
import { FolderRepository } from './folders';
import { HeldChunks } from './held-chunks';
import { JournalRepository } from './journal';
import { ManifestStore } from './manifests';
import { CollectorState, Namespaces } from './namespaces';
import { NamespaceWorkers } from './namespace-workers';
import { StoredObjects } from './stored-objects';
import { TableWalk } from './table-walk';
import { TrashRepository } from './trash';
import { RejectedPacks } from './rejected-packs';
import { ShareRepository } from './shares';
import { UploadSessions } from './sessions';
import { Transactions } from './transact';
import { UserDirectory } from './users';

/** `db` is for tests that run the domain code in-process against tables of their own. */
export function metadataRepositories(table: string, db = createDocumentClient()) {
  return {
    files: new FileRepository(db, table),
    folders: new FolderRepository(db, table),
    journal: new JournalRepository(db, table),
    sessions: new UploadSessions(db, table),
    chunks: new ChunkRegistry(db, table),
    trash: new TrashRepository(db, table),
    namespaces: new Namespaces(db, table),
    held: new HeldChunks(db, table),
    rejectedPacks: new RejectedPacks(db, table),
    transactions: new Transactions(db),
  };
}

/** What the chunk collector works with besides the metadata: its own state and the bucket's versions. */
export function collectorRepositories(table: string, bucket: string) {
  return { collectorState: new CollectorState(createDocumentClient(), table), stored: new StoredObjects(createS3Client(), bucket) };
}

/** What the collector's scheduled function works with: the one-time migration's reads, and the per-namespace function. */
export function collectorScheduleRepositories(table: string, namespaceFunction: string) {
  return {
    collectorState: new CollectorState(createDocumentClient(), table),
    walk: new TableWalk(createDocumentClient(), table),
    workers: new NamespaceWorkers(createLambdaClient(), namespaceFunction),
  };
}

export function bucketRepositories(bucket: string, s3 = createS3Client()) {
  return { bucket, manifests: new ManifestStore(s3, bucket), presigner: new ChunkPresigner(s3, bucket), objects: chunkObjects(s3) };
}

/** The chunk objects, trusting the store's checksums only where the stack says it verifies them. */
export function chunkObjects(s3 = createS3Client()): ChunkObjects {
  return new ChunkObjects(s3, optionalEnv(ENV.storeVerifiesChecksums) === 'true');
}

export function sharingRepositories(sharedTable: string) {
  return { shares: new ShareRepository(createDocumentClient(), sharedTable) };
}

export function userDirectory(userPoolId: string) {
  return { directory: new UserDirectory(createCognitoClient(), userPoolId) };
}

export interface DownloadConfig {
  readonly fileTable: string;
  readonly sharedTable: string;
  readonly bucket: string;
  readonly downloadBaseUrl: string;
  readonly signingKeyPairId: string;
  readonly signingKeySecretId: string;
}

/** What a download handler reads (files, grants, manifests, chunk records) and the CloudFront signer it signs with. */
export function downloadRepositories(config: DownloadConfig) {
  return {
    ...metadataRepositories(config.fileTable),
    ...sharingRepositories(config.sharedTable),
    ...bucketRepositories(config.bucket),
    signer: new DownloadSigner(config.downloadBaseUrl, config.signingKeyPairId, () => readSecretString(config.signingKeySecretId)),
  };
}
