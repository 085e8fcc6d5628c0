/**
 * The data migrations custom resource, isComplete (CDK provider framework): each poll migrates until
 * the invocation is close to its time limit and says whether everything is done; the framework polls
 * again until it is (see domain/migrations/runner.ts).
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { advanceMigrations } from '@domain/migrations/runner';
import { runnerDeps } from './wiring';

/** Time kept back at the end of an invocation to save progress and answer. */
const RESERVE_MS = 60_000;

export const handler = async (event: CloudFormationCustomResourceEvent, context: Context): Promise<{ IsComplete: boolean }> => {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  return { IsComplete: await advanceMigrations(runnerDeps, event.RequestId, () => context.getRemainingTimeInMillis(), RESERVE_MS) };
};
