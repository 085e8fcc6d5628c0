/**
 * What a namespace's retained metadata names: the chunk hashes of every manifest it keeps (blobs in
 * packs among them), and the manifests kept as S3 objects. The collector deletes only registry entries
 * this set lacks. No manifest names a pack: a pack is kept while a blob entry names it (collector.ts).
 */
import type { ChunkRef } from '@contract/schemas';
import type { ManifestRef } from '@repo/items';
import type { RegistryEntry } from '@repo/chunks';

export class References {
  private readonly chunks = new Set<string>();
  private readonly manifests = new Set<string>();

  /** Adds a manifest and its chunks; an S3 manifest already added is not loaded again. */
  async add(manifest: ManifestRef, load: (ref: ManifestRef) => Promise<ChunkRef[]>): Promise<void> {
    if (manifest.kind === 's3') {
      if (this.manifests.has(manifest.hash)) return;
      this.manifests.add(manifest.hash);
    }
    for (const chunk of await load(manifest)) this.chunks.add(chunk.hash);
  }

  names(entry: RegistryEntry): boolean {
    if (entry.kind === 'pack') return false;
    return entry.kind === 'chunk' ? this.chunks.has(entry.hash) : this.manifests.has(entry.hash);
  }

  get size(): { chunks: number; manifests: number } {
    return { chunks: this.chunks.size, manifests: this.manifests.size };
  }
}
