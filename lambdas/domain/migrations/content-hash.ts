/**
 * Data migration: every stored content hash becomes the one contract/content-hash.ts defines (over
 * the chunk digests), computed from the manifest of the content it names. Files and revisions name
 * their content by `contentRevision`; path entries and journal entries by file and revision; upload
 * sessions carry their manifest. Computing from immutable manifests makes it idempotent: a second
 * run finds nothing to change, and an item rewritten meanwhile by new code already holds the same
 * value (the conditional write leaves it alone either way).
 */
import { contentHashOf } from '@contract/content-hash';
import { logger } from '@shared/logger';
import type { FileRepository } from '@repo/files';
import type { ManifestRef } from '@repo/items';
import type { ManifestStore } from '@repo/manifests';
import type { HashedItem, TableWalk } from '@repo/table-walk';
import type { DataMigration, PageOutcome } from './runner';

export interface ContentHashDeps {
  readonly files: Pick<FileRepository, 'getRevision'>;
  readonly manifests: Pick<ManifestStore, 'load'>;
  readonly walk: Pick<TableWalk, 'setContentHash'>;
}

/** Contents remembered while a page is migrated (a file's items all name the same few contents). */
const REMEMBERED = 10_000;

class ContentHashes {
  private readonly byContent = new Map<string, Promise<string | undefined>>();

  constructor(private readonly deps: ContentHashDeps) {}

  /** The content hash an item should hold; undefined when its content cannot be found. */
  of(item: HashedItem): Promise<string | undefined> {
    switch (item.kind) {
      case 'session':
        return this.ofManifest(item.manifest);
      case 'revision':
        return item.manifest ? this.ofManifest(item.manifest) : this.ofContent(item.fileId, item.contentRevision);
      case 'file':
        return this.ofContent(item.fileId, item.contentRevision);
      case 'path':
      case 'journal':
        return this.ofRevision(item.fileId, item.revision);
    }
  }

  private async ofManifest(ref: ManifestRef): Promise<string> {
    return contentHashOf((await this.deps.manifests.load(ref)).map((c) => c.hash));
  }

  /** A file at `revision` holds the content of the revision its item names as `contentRevision`. */
  private async ofRevision(fileId: string, revision: number): Promise<string | undefined> {
    const state = await this.deps.files.getRevision(fileId, revision);
    return state === undefined ? undefined : this.ofContent(fileId, state.contentRevision);
  }

  private ofContent(fileId: string, contentRevision: number): Promise<string | undefined> {
    const id = `${fileId}#${contentRevision}`;
    let hash = this.byContent.get(id);
    if (hash === undefined) {
      hash = this.deps.files.getRevision(fileId, contentRevision).then((content) => (content?.manifest ? this.ofManifest(content.manifest) : undefined));
      if (this.byContent.size >= REMEMBERED) this.byContent.delete(this.byContent.keys().next().value as string);
      this.byContent.set(id, hash);
    }
    return hash;
  }
}

export function contentHashMigration(id: string, deps: ContentHashDeps): DataMigration {
  return {
    id,
    async migratePage(items: readonly HashedItem[]): Promise<PageOutcome> {
      const hashes = new ContentHashes(deps);
      let updated = 0;
      let unresolved = 0;
      for (const item of items) {
        const hash = await hashes.of(item);
        if (hash === undefined) {
          unresolved++;
          logger.warn('content of item not found; left as it was', { key: item.key, kind: item.kind });
        } else if (hash !== item.contentHash && (await deps.walk.setContentHash(item.key, item.contentHash, hash))) {
          updated++;
        }
      }
      return { updated, unresolved };
    },
  };
}
