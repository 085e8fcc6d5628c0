/** What both migration handlers run on: the table, its manifests, the migrations. */
import { readConfig } from '@shared/config';
import { createDocumentClient } from '@shared/aws';
import { MigrationStates } from '@repo/migration-states';
import { TableWalk } from '@repo/table-walk';
import { bucketRepositories, metadataRepositories } from '@repo/wiring';
import { dataMigrations } from '@domain/migrations/catalog';
import type { RunnerDeps } from '@domain/migrations/runner';

const config = readConfig('fileTable', 'bucket');
const db = createDocumentClient();
const walk = new TableWalk(db, config.fileTable);
const { files } = metadataRepositories(config.fileTable);
const { manifests } = bucketRepositories(config.bucket);

export const runnerDeps: RunnerDeps = {
  states: new MigrationStates(db, config.fileTable),
  walk,
  migrations: dataMigrations({ files, manifests, walk }),
};

/** The ids a deploy asks for, from the custom resource's properties. */
export function requestedMigrations(properties: Record<string, unknown>): string[] {
  const ids = properties.Migrations;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) throw new Error('property Migrations must list migration ids');
  return ids;
}
