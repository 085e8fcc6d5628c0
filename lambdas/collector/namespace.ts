/**
 * The collector for one namespace (invoked by the scheduled function, or by an operator): purges what
 * is past retention, then deletes the chunks and manifests nothing references. `time` is the run's
 * "now"; the run's own duration is added to it as it goes.
 */
import { readConfig, readRetention } from '@shared/config';
import { logger } from '@shared/logger';
import { bucketRepositories, collectorRepositories, metadataRepositories } from '@repo/wiring';
import { collectNamespace, type CollectorSummary } from '@domain/gc/collector';
import { parseNamespaceJob, runClock } from '@domain/gc/schedule';

const config = readConfig('fileTable', 'bucket');
const deps = {
  ...metadataRepositories(config.fileTable),
  ...collectorRepositories(config.fileTable, config.bucket),
  manifests: bucketRepositories(config.bucket).manifests,
  retention: readRetention(),
};

export const handler = async (event: { ownerId?: unknown; time?: unknown }): Promise<CollectorSummary> => {
  const { ownerId, time } = parseNamespaceJob(event);
  const run = collectNamespace(deps, ownerId, runClock(time));
  for (let step = await run.next(); ; step = await run.next()) {
    if (step.done) {
      logger.info('namespace collected', { ...step.value });
      return step.value;
    }
  }
};
