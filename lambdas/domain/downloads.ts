/**
 * Download: after the access check, one page of the manifest with a CloudFront signed URL per chunk.
 * Chunk URLs name the file owner's namespace (also for a recipient of a share), and each is signed for
 * one chunk of a file the caller may read, so no URL reaches any other chunk. A blob stored in a pack
 * is signed as its pack, with its range: for the owner the whole pack (its blobs are all the owner's),
 * for anyone else with the range signed in, which the edge enforces (lib/constructs/downloads.ts
 * PACK_RANGE_GUARD), so a share's recipient reaches none of the owner's other blobs.
 */
import { LIMITS } from '@contract/limits';
import type { ChunkRef, DownloadChunk, DownloadResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, validationFailed } from '@shared/errors';
import type { ChunkRegistry } from '@repo/chunks';
import type { DownloadSigner } from '@repo/download-signer';
import { revisionKey, type FileRepository } from '@repo/files';
import type { ChunkRecord, FileState } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';
import type { ShareRepository } from '@repo/shares';
import pLimit from 'p-limit';
import { authorizeFile } from './access';
import { toFileMetadata } from './metadata';

export interface DownloadDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
  readonly chunks: ChunkRegistry;
  readonly manifests: ManifestStore;
  readonly signer: DownloadSigner;
}

export interface DownloadRequest {
  readonly chunkOffset?: number;
  /** Defaults to the current revision. */
  readonly revision?: number;
}

/**
 * The file as it was at `revision`, for a caller allowed to read it (see access.ts), refusing deleted
 * files and revisions that never existed.
 */
export async function revisionToRead(deps: Pick<DownloadDeps, 'files'>, file: FileState, revision: number | undefined): Promise<FileState> {
  if (file.status === 'deleted') throw notFound();
  if (revision === undefined || revision === file.revision) return file;
  const state = revision < file.revision ? await deps.files.getRevision(file.fileId, revision) : undefined;
  if (state === undefined || state.status === 'deleted') throw notFound(`file has no revision ${revision}`);
  return state;
}

/** The access check runs on every page, so a revoked recipient gets no URL after the revoke. */
export async function getDownload(
  deps: DownloadDeps,
  caller: Caller,
  fileId: string,
  req: DownloadRequest,
  now = new Date(),
): Promise<DownloadResponse> {
  const file = await authorizeFile(deps, caller, fileId, 'read');
  const state = await revisionToRead(deps, file, req.revision);
  const [sign] = await preparePages(deps, caller.userId, [{ state, offset: req.chunkOffset ?? 0 }], LIMITS.downloadPageChunks, now);
  return sign!();
}

export interface PageWanted {
  readonly state: FileState;
  readonly offset: number;
}

/** Manifests read from S3 at once (inline ones cost nothing). */
const PARALLEL_MANIFESTS = 16;

/**
 * The pages of many revisions, one per entry of `wanted`, with the reads batched across them: their
 * revision items in one BatchGetItem pass, manifests on a bounded pool, and the chunk records in one
 * pass per owner, so a thousand files cost a few dozen calls, not three thousand. Each page is then
 * signed when its function is called, which throws the page's own problem (an offset past its end), so
 * a batch can settle each apart and stop signing when it runs short of time.
 */
export async function preparePages(
  deps: DownloadDeps,
  readerId: string,
  wanted: readonly PageWanted[],
  pageChunks: number,
  now: Date,
): Promise<(() => DownloadResponse)[]> {
  const contents = await deps.files.getRevisions(wanted.map((w) => ({ fileId: w.state.fileId, revision: w.state.contentRevision })));
  const loads = pLimit(PARALLEL_MANIFESTS);
  const manifests = await Promise.all(
    wanted.map(({ state }) =>
      loads(() => {
        const content = contents.get(revisionKey(state.fileId, state.contentRevision));
        if (content?.manifest === undefined) throw new Error(`revision ${state.contentRevision} of ${state.fileId} has no manifest`);
        return deps.manifests.load(content.manifest);
      }),
    ),
  );
  const pages = wanted.map(({ offset }, i) => manifests[i]!.slice(offset, offset + pageChunks));
  const stored = await chunkRecords(
    deps,
    wanted.map((w, i) => ({ ownerId: w.state.ownerId, hashes: pages[i]!.map((c) => c.hash) })),
  );

  // Whole seconds: the signed policy carries epoch seconds, and urlsExpireAt should say exactly that.
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + LIMITS.downloadUrlTtlSeconds) * 1000);
  const sign = await deps.signer.forExpiry(expiresAt);
  return wanted.map(({ state, offset }, i) => () => {
    const manifest = manifests[i]!;
    if (offset > 0 && offset >= manifest.length) {
      throw validationFailed(`query.chunkOffset ${offset} is past the last chunk (${manifest.length})`, { field: 'query.chunkOffset' });
    }
    // The owner's own packs are signed whole; anyone else's URL reaches only the blob's range.
    const restricted = readerId !== state.ownerId;
    const signer = { sign: (chunk: ChunkRecord) => sign(state.ownerId, chunk, restricted), restricted };
    return signedPage(state, manifest, offset, pages[i]!, stored.get(state.ownerId)!, signer, expiresAt);
  });
}

/** The chunk records each owner holds among the hashes named, one lookup per owner. */
async function chunkRecords(
  deps: Pick<DownloadDeps, 'chunks'>,
  named: readonly { readonly ownerId: string; readonly hashes: readonly string[] }[],
): Promise<Map<string, Map<string, ChunkRecord>>> {
  const byOwner = new Map<string, string[]>();
  for (const { ownerId, hashes } of named) byOwner.set(ownerId, [...(byOwner.get(ownerId) ?? []), ...hashes]);
  const found = await Promise.all([...byOwner].map(async ([ownerId, hashes]) => [ownerId, await deps.chunks.lookup(ownerId, hashes)] as const));
  return new Map(found);
}

function signedPage(
  state: FileState,
  manifest: readonly ChunkRef[],
  offset: number,
  page: readonly ChunkRef[],
  stored: Map<string, ChunkRecord>,
  signer: { readonly sign: (chunk: ChunkRecord) => string; readonly restricted: boolean },
  expiresAt: Date,
): DownloadResponse {
  // A file that repeats content lists the same chunk more than once, and blobs share their pack: sign each URL once.
  const urls = new Map<string, string>();
  const urlOf = (record: ChunkRecord) => {
    const key = record.pack === undefined ? record.hash : `${record.pack.hash}${signer.restricted ? `@${record.pack.offset}` : ''}`;
    if (!urls.has(key)) urls.set(key, signer.sign(record));
    return urls.get(key)!;
  };
  let byteOffset = manifest.slice(0, offset).reduce((sum, c) => sum + c.size, 0);
  const chunks: DownloadChunk[] = page.map((c, i) => {
    const record = stored.get(c.hash);
    if (record === undefined) throw new Error(`chunk ${c.hash} of committed file ${state.fileId} is not registered`);
    const chunk: DownloadChunk = {
      index: offset + i,
      hash: c.hash,
      size: c.size,
      offset: byteOffset,
      storedSize: record.storedSize,
      compression: record.compression,
      url: urlOf(record),
      ...(record.pack === undefined ? {} : { range: { offset: record.pack.offset, length: record.storedSize } }),
    };
    byteOffset += c.size;
    return chunk;
  });
  const next = offset + page.length;
  return {
    file: toFileMetadata(state),
    chunks,
    ...(next < manifest.length ? { nextChunkOffset: next } : {}),
    urlsExpireAt: expiresAt.toISOString(),
  };
}
