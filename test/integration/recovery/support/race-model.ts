/**
 * What the collector race test knows independently of the service: the chunk contents it made, the
 * files it committed with each content revision and when, and what became of them. The checks compare
 * the service's tables and bucket with it: every revision still kept downloads byte-identical, nothing
 * is purged before its retention, and no chunk or manifest a kept revision names is ever marked or
 * deleted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { ChunkRef } from '@contract/schemas';
import type { RevisionState } from '@repo/items';
import type { RaceWorld } from './race-world';

const DAY_MS = 24 * 3600 * 1000;

export interface PoolChunk {
  readonly hash: string;
  readonly bytes: Buffer;
}

/** A small chunk of its own (numbered, so two never collide). */
export function poolChunk(rng: () => number, n: number): PoolChunk {
  const bytes = Buffer.concat([Buffer.from(`chunk ${n} `), randomBytes(100 + Math.floor(rng() * 1500))]);
  return { hash: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/** A few small chunks files are made of, so dedup reuses them all the time. */
export const chunkPool = (rng: () => number, size: number): PoolChunk[] => Array.from({ length: size }, (_, i) => poolChunk(rng, i));

export interface ModelRevision {
  readonly revision: number;
  readonly at: string;
  readonly contentHash: string;
}

export interface ModelFile {
  readonly fileId: string;
  path: string;
  status: 'live' | 'trash' | 'purged';
  /** Revisions that brought content, oldest first. */
  readonly contents: ModelRevision[];
  deletedAt?: string;
  editorMay: boolean;
}

export class RaceModel {
  readonly files = new Map<string, ModelFile>();
  /** Chunk list of each content hash the test committed. */
  readonly contents = new Map<string, ChunkRef[]>();
  readonly problems: string[] = [];

  constructor(
    /** Grows: some new content brings a chunk nothing else has. */
    readonly pool: PoolChunk[],
    readonly retentionDays: number,
  ) {}

  byState(status: ModelFile['status']): ModelFile[] {
    return [...this.files.values()].filter((f) => f.status === status);
  }

  /** Content revisions the rules say must still be kept at `now`. */
  mustKeep(file: ModelFile, now: Date): ModelRevision[] {
    if (file.status === 'purged') return [];
    if (file.status === 'trash' && Date.parse(file.deletedAt!) + this.retentionDays * DAY_MS <= now.getTime()) return [];
    return file.contents.filter((_, i) => {
      const next = file.contents[i + 1];
      return next === undefined || Date.parse(next.at) + this.retentionDays * DAY_MS > now.getTime();
    });
  }
}

/** What the kept revisions of the model's files name now: chunk hashes and S3 manifest keys. */
export async function namedByRevisions(world: RaceWorld, model: RaceModel): Promise<{ chunks: Set<string>; manifests: Set<string> }> {
  const chunks = new Set<string>();
  const manifests = new Set<string>();
  for (const file of model.files.values()) {
    if (file.status === 'purged') continue;
    for (const r of await world.deps.files.listRevisions(file.fileId, { manifests: true })) {
      if (r.manifest === undefined) continue;
      if (r.manifest.kind === 's3') manifests.add(r.manifest.key);
      for (const c of await world.deps.manifests.load(r.manifest)) chunks.add(c.hash);
    }
  }
  return { chunks, manifests };
}

/**
 * Every revision item still stored downloads byte-identical: its content revision's manifest loads,
 * lists the chunks the model committed for its content hash, each registered (not being deleted) and
 * holding exactly the pool's bytes (a blob: its range of its pack, stored uncompressed here). And nothing the rules keep is missing.
 */
export async function checkKept(world: RaceWorld, model: RaceModel, ownerId: string, now: Date, when: string): Promise<void> {
  const bytes = new Map(model.pool.map((c) => [c.hash, c.bytes]));
  const checked = new Set<string>();
  for (const file of model.files.values()) {
    if (file.status === 'purged') continue;
    const stored = await world.deps.files.listRevisions(file.fileId, { manifests: true });
    const byRevision = new Map(stored.map((r) => [r.revision, r]));
    for (const rev of model.mustKeep(file, now)) {
      if (!byRevision.has(rev.revision)) model.problems.push(`${when}: revision ${rev.revision} of ${file.path} (${file.fileId}) was purged before its retention ended`);
    }
    for (const r of stored) {
      const content = byRevision.get(r.contentRevision);
      if (content?.manifest === undefined) {
        model.problems.push(`${when}: revision ${r.revision} of ${file.path} is kept but its content revision ${r.contentRevision} is gone`);
        continue;
      }
      await checkContent(world, model, ownerId, content, bytes, checked, `${when}: ${file.path} revision ${r.revision}`);
    }
  }
}

async function checkContent(
  world: RaceWorld,
  model: RaceModel,
  ownerId: string,
  content: RevisionState,
  bytes: ReadonlyMap<string, Buffer>,
  checked: Set<string>,
  what: string,
): Promise<void> {
  let chunks: ChunkRef[];
  try {
    chunks = await world.deps.manifests.load(content.manifest!);
  } catch (error) {
    model.problems.push(`${what}: its manifest cannot be read: ${(error as Error).message}`);
    return;
  }
  const listed = (refs: readonly ChunkRef[]) => refs.map((c) => `${c.hash}:${c.size}`).join(',');
  const expected = model.contents.get(content.contentHash);
  if (expected === undefined || listed(expected) !== listed(chunks)) model.problems.push(`${what}: its manifest is not the content committed`);
  const registered = await world.deps.chunks.lookup(ownerId, chunks.map((c) => c.hash));
  for (const hash of new Set(chunks.map((c) => c.hash))) {
    if (!registered.has(hash)) model.problems.push(`${what}: chunk ${hash.slice(0, 12)} is not registered (or is being deleted)`);
    if (checked.has(hash)) continue;
    checked.add(hash);
    // A blob is read as a client reads it: its range of its pack.
    const blob = registered.get(hash);
    const where = blob?.pack
      ? { Key: S3_LAYOUT.packKey(ownerId, blob.pack.hash), Range: `bytes=${blob.pack.offset}-${blob.pack.offset + blob.storedSize - 1}` }
      : { Key: S3_LAYOUT.chunkKey(ownerId, hash) };
    const out = await world.s3.send(new GetObjectCommand({ Bucket: world.bucket, ...where })).catch(() => undefined);
    const body = out?.Body ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
    if (body === undefined || !body.equals(bytes.get(hash)!)) model.problems.push(`${what}: chunk ${hash.slice(0, 12)} does not hold its bytes in S3`);
  }
}

/** A manifest too large for the item (kept in S3), made of pool chunks. */
export const BIG_MANIFEST_CHUNKS = LIMITS.inlineManifestMaxChunks + 1;
