/**
 * The platform-neutral transfer core: what the CLI (Node) and the web app (a browser) share. Nothing
 * here touches a platform: bytes come and go through ByteSource / ByteSink, hashing through a
 * Sha256Factory, gzip through a Gzip function, HTTP through an injected fetch, and resume state
 * through an UploadLedger. client/README.md describes the API.
 */
export { ApiClient, type ApiClientOptions, type TokenSource } from './api/client';
export type { Fetch } from './api/http';
export type { ClientRoute, ResponseOf, RouteInputs } from './api/routes';
export { chunkStream, type ChunkInfo, type ChunkStreamOptions, type CutChunk } from './chunking/chunker';
export { buildManifest, manifestOf, type Manifest } from './chunking/manifest';
export { DEFAULT_CHUNKING, type ChunkingParams } from './chunking/params';
export { ApiError, hasCode, isApiError, isToteError, NetworkError, toToteError, ToteError, type ToteErrorCode } from './errors';
export type { TransferEvent, TransferEventSink } from './events';
export { sha256Of, type Sha256, type Sha256Factory } from './hashing/sha256';
export { memorySource, MemorySink, PIECE_BYTES, readPieces, type ByteSink, type ByteSource } from './io';
export { streamGzip, type Gzip } from './transfer/compression';
export { describeSource, type OpenedSource } from './transfer/describe';
export { downloadInto, type DownloadJob, type DownloadOutcome, type DownloadTarget } from './transfer/download';
export { DEFAULT_TRANSFER_TUNING, type TransferEnvironment } from './transfer/environment';
export { MemoryUploadLedger, type Awaitable, type UploadLedger, type UploadSessionRecord } from './transfer/ledger';
export { FileOutcomes, UploadOutcomes, type FileFailure } from './transfer/outcomes';
export { DownloadBatches, type BatchDownload } from './transfer/download-batch';
export { walkRemoteFolder } from './transfer/remote-folder';
export { uploadSource } from './transfer/upload';
export { BATCH_FILE_MAX_BYTES, UploadBatches, type BatchFile } from './transfer/upload-batch';
export type { UploadJob, UploadOutcome, UploadResult, UploadTarget } from './transfer/upload-job';
export { emptyTrash, purgeTrashed, restoreTrashed, restoreVersion, trashEntries, versionsOf, type VersionHistory } from './recovery/recovery';
