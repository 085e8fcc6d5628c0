/**
 * Chunk manifests. Small ones travel inside the DynamoDB items; large ones (a 50 GB file has over
 * 10,000 chunks) would break the 400 KB item limit, so they live in S3 under a content-addressed key
 * and the items hold only the pointer. Content addressing makes them immutable, hence cacheable.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { ChunkRef } from '@contract/schemas';
import type { ManifestRef } from './items';

/** Manifests kept in memory across warm invocations (each up to a few MB). */
const CACHE_ENTRIES = 4;

interface StoredManifest {
  readonly version: 1;
  readonly chunks: ChunkRef[];
}

export function manifestHash(chunks: readonly ChunkRef[]): string {
  const canonical = JSON.stringify(chunks.map((c) => [c.hash, c.size]));
  return createHash('sha256').update(canonical).digest('hex');
}

export class ManifestStore {
  private readonly cache = new Map<string, ChunkRef[]>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Where a manifest of these chunks is kept: inline while small, else its content-addressed S3 key. */
  refFor(ownerId: string, chunks: ChunkRef[]): ManifestRef {
    const hash = manifestHash(chunks);
    if (chunks.length <= LIMITS.inlineManifestMaxChunks) return { kind: 'inline', hash, chunks };
    return { kind: 's3', hash, key: S3_LAYOUT.manifestKey(ownerId, hash), chunkCount: chunks.length };
  }

  /** Writes an S3-kept manifest's object (the same bytes every time: rewriting it is harmless). */
  async write(ref: Extract<ManifestRef, { kind: 's3' }>, chunks: ChunkRef[]): Promise<void> {
    const body: StoredManifest = { version: 1, chunks };
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: ref.key, Body: JSON.stringify(body), ContentType: 'application/json' }),
    );
    this.remember(ref.key, chunks);
  }

  async load(ref: ManifestRef): Promise<ChunkRef[]> {
    if (ref.kind === 'inline') return ref.chunks;
    const cached = this.cache.get(ref.key);
    if (cached) return cached;
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: ref.key }));
    const stored = JSON.parse(await out.Body!.transformToString()) as StoredManifest;
    if (stored.version !== 1 || !Array.isArray(stored.chunks) || manifestHash(stored.chunks) !== ref.hash) {
      throw new Error(`manifest ${ref.key} does not match its hash`);
    }
    this.remember(ref.key, stored.chunks);
    return stored.chunks;
  }

  private remember(key: string, chunks: ChunkRef[]): void {
    this.cache.delete(key);
    this.cache.set(key, chunks);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }
}
