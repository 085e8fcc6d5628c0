/**
 * Every data migration, in the order they run. A new one gets the next id; the stack passes the ids
 * to its custom resource, so deploying code with a new migration is what makes it run.
 */
import { contentHashMigration, type ContentHashDeps } from './content-hash';
import type { DataMigration } from './runner';

export const DATA_MIGRATION_IDS = {
  contentHashOverChunks: '0001-content-hash-over-chunks',
} as const;

export type CatalogDeps = ContentHashDeps;

export function dataMigrations(deps: CatalogDeps): DataMigration[] {
  return [contentHashMigration(DATA_MIGRATION_IDS.contentHashOverChunks, deps)];
}
