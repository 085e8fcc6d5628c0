/**
 * The collector's scheduled function (EventBridge rule -> here): the one-time migration, then one
 * asynchronous invocation of the per-namespace function per namespace. An on-demand run may name
 * the namespaces in `detail.namespaces`; `time` is the run's "now" either way.
 */
import { readConfig } from '@shared/config';
import { logger } from '@shared/logger';
import { collectorScheduleRepositories, metadataRepositories } from '@repo/wiring';
import { runSchedule, type CollectorEvent, type ScheduleSummary } from '@domain/gc/schedule';

const config = readConfig('fileTable', 'collectorNamespaceFunction');
const deps = { ...metadataRepositories(config.fileTable), ...collectorScheduleRepositories(config.fileTable, config.collectorNamespaceFunction) };

export const handler = async (event: CollectorEvent): Promise<ScheduleSummary> => {
  const summary = await runSchedule(deps, event);
  logger.info('collector run started', { ...summary });
  return summary;
};
