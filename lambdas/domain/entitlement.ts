/**
 * Which stored chunks an upload may use without sending their bytes. The owner of a namespace may
 * use any chunk registered in it. Anyone else (an editor uploading a revision of a file shared with
 * them) may use only chunks of the file's content they could read anyway, and chunks they proved to
 * hold by uploading them (domain/staged-chunks.ts): never the owner's other chunks, whose existence
 * and size no answer reveals (they are "missing" like any unknown hash, and must be sent).
 */
import type { ChunkRegistry } from '@repo/chunks';
import type { FileRepository } from '@repo/files';
import type { HeldChunks } from '@repo/held-chunks';
import type { ChunkRecord } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';

export interface EntitlementDeps {
  readonly chunks: ChunkRegistry;
  readonly held: HeldChunks;
  readonly files: FileRepository;
  readonly manifests: ManifestStore;
}

/** Who uploads into which namespace, and (for a non-owner) the file revision whose chunks they may use. */
export interface Uploader {
  readonly ownerId: string;
  /** Absent when the owner uploads. */
  readonly uploaderId?: string;
  readonly fileId?: string;
  readonly baseContentRevision?: number;
}

/** The registered chunks among `hashes` this uploader may use, by hash. */
export async function usableChunks(deps: EntitlementDeps, uploader: Uploader, hashes: readonly string[]): Promise<Map<string, ChunkRecord>> {
  if (uploader.uploaderId === undefined) return deps.chunks.lookup(uploader.ownerId, hashes);
  const entitled = await entitledHashes(deps, uploader, uploader.uploaderId, hashes);
  if (entitled.size === 0) return new Map();
  return deps.chunks.lookup(uploader.ownerId, [...entitled]);
}

async function entitledHashes(deps: EntitlementDeps, uploader: Uploader, uploaderId: string, hashes: readonly string[]): Promise<Set<string>> {
  const [held, readable] = await Promise.all([deps.held.lookup(uploader.ownerId, uploaderId, hashes), readableChunks(deps, uploader)]);
  return new Set(hashes.filter((h) => held.has(h) || readable.has(h)));
}

/** Chunk hashes of the file content the uploader started from (which they may download anyway). */
async function readableChunks(deps: EntitlementDeps, uploader: Uploader): Promise<Set<string>> {
  if (uploader.fileId === undefined || uploader.baseContentRevision === undefined) return new Set();
  const revision = await deps.files.getRevision(uploader.fileId, uploader.baseContentRevision);
  if (revision?.manifest === undefined || revision.ownerId !== uploader.ownerId) return new Set();
  return new Set((await deps.manifests.load(revision.manifest)).map((c) => c.hash));
}
