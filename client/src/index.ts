/**
 * The Tote client as a library. `createToteClient` gives the same operations as the CLI, reporting
 * progress as events; the CLI, the integration tests and the sync daemon all build on it.
 */
export { createToteClient, ToteClient } from './client';
export type { GetOptions, PutFailure, PutSummary, RemoteRef, ToteClientOptions } from './client';
export type { DownloadResult } from './transfer/download';
export type { UploadResult } from './transfer/upload';
export type { EventSink, ToteEvent } from './events';
export { isApiError, isToteError, type ToteError, type ToteErrorCode } from './core/errors';
export { isTempDownloadName, tempDownloadPath } from './transfer/temp-names';
