/**
 * The data migrations custom resource, onEvent (CDK provider framework): a deploy that creates or
 * updates it begins the migrations it lists; deleting it marks finished ones stale. The work itself
 * happens in is-complete.ts, which the framework polls.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { beginMigrations, forgetMigrations } from '@domain/migrations/runner';
import { requestedMigrations, runnerDeps } from './wiring';

/** One physical resource for the life of the stack: updates never replace it. */
const PHYSICAL_ID = 'tote-data-migrations';

export const handler = async (event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string }> => {
  if (event.RequestType === 'Delete') await forgetMigrations(runnerDeps);
  else await beginMigrations(runnerDeps, requestedMigrations(event.ResourceProperties));
  return { PhysicalResourceId: PHYSICAL_ID };
};
