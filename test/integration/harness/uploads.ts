/**
 * Upload steps at the HTTP level (no client code): made-up files split into chunks, start/resume an
 * upload, PUT chunks to their presigned URLs, wait for the tracker to register them, commit. The
 * end-to-end tests that drive the real client live beside these and do not need them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Compression, FileMetadata, PresignedPut, StartUploadResponse, UploadUrlsResponse } from '@contract/schemas';
import { contentHashOfChunks } from '../../support/content-hash';
import { api, type ApiAnswer } from './api';
import { eventually } from './eventually';
import { TRACKER_WAIT_MS } from './timeouts';
import type { Target } from './target';
import type { TestUser } from './users';

export interface TestChunk {
  readonly hash: string;
  readonly size: number;
  readonly bytes: Buffer;
}

export interface TestFile {
  readonly path: string;
  readonly bytes: Buffer;
  readonly contentHash: string;
  readonly chunks: readonly TestChunk[];
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A file made of the given chunk contents, in order. */
export function fileFromChunks(path: string, contents: readonly Buffer[]): TestFile {
  const chunks = contents.map((bytes) => ({ hash: sha256(bytes), size: bytes.length, bytes }));
  const bytes = Buffer.concat(contents);
  return { path, bytes, contentHash: contentHashOfChunks(chunks.map((c) => c.hash)), chunks };
}

/** Random content cut into chunks of the given sizes (small sizes keep tests fast; the API allows them). */
export const testFile = (path: string, chunkSizes: readonly number[]): TestFile =>
  fileFromChunks(path, chunkSizes.map((size) => randomBytes(size)));

export function startUpload(target: Target, user: TestUser, file: TestFile): Promise<ApiAnswer<StartUploadResponse>> {
  return api<StartUploadResponse>(target, 'POST', '/uploads', {
    token: user.accessToken,
    body: {
      path: file.path,
      size: file.bytes.length,
      contentHash: file.contentHash,
      chunks: file.chunks.map(({ hash, size }) => ({ hash, size })),
    },
  });
}

export function uploadUrls(
  target: Target,
  user: TestUser,
  uploadId: string,
  hashes: string[],
  compression?: Compression,
): Promise<ApiAnswer<UploadUrlsResponse>> {
  return api<UploadUrlsResponse>(target, 'POST', `/uploads/${encodeURIComponent(uploadId)}/urls`, {
    token: user.accessToken,
    body: { hashes, compression },
  });
}

/** PUTs bytes to a presigned URL with exactly the headers it was signed with; resolves the status. */
export async function putChunk(put: PresignedPut, bytes: Buffer): Promise<number> {
  const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes });
  await res.arrayBuffer();
  return res.status;
}

/** Asks again until the service no longer lists any of the file's chunks as missing (the tracker ran). */
export function waitUntilRegistered(target: Target, user: TestUser, file: TestFile, timeoutMs = TRACKER_WAIT_MS): Promise<StartUploadResponse> {
  return eventually(
    `chunks of ${file.path} registered`,
    async () => {
      const answer = await startUpload(target, user, file);
      if (answer.status !== 200) throw new Error(`POST /uploads answered ${answer.status}: ${answer.text}`);
      return answer.json.missing.length === 0 ? answer.json : undefined;
    },
    { timeoutMs },
  );
}

export function commitUpload(target: Target, user: TestUser, uploadId: string, expectedRevision = 0): Promise<ApiAnswer<FileMetadata>> {
  return api<FileMetadata>(target, 'POST', `/uploads/${encodeURIComponent(uploadId)}/commit`, {
    token: user.accessToken,
    body: { expectedRevision },
  });
}

/** The whole upload: start, PUT what is missing, wait for registration, commit. Throws on any surprise. */
export async function uploadFile(target: Target, user: TestUser, file: TestFile): Promise<FileMetadata> {
  const started = await startUpload(target, user, file);
  if (started.status !== 200) throw new Error(`POST /uploads answered ${started.status}: ${started.text}`);
  const byHash = new Map(file.chunks.map((c) => [c.hash, c.bytes]));
  for (const put of started.json.urls) {
    const status = await putChunk(put, byHash.get(put.hash) as Buffer);
    if (status !== 200 && status !== 412) throw new Error(`PUT of chunk ${put.hash} answered ${status}`);
  }
  await waitUntilRegistered(target, user, file);
  const committed = await commitUpload(target, user, started.json.uploadId, started.json.existing?.revision ?? 0);
  if (committed.status !== 200) throw new Error(`commit of ${file.path} answered ${committed.status}: ${committed.text}`);
  return committed.json;
}
