/**
 * Creates the template's provider-backed custom resources (the data migrations) the way the CDK
 * provider framework would on AWS: onEvent once, then isComplete polled until it says done. The local
 * runtime has no earlier deployment to update, and the handlers are idempotent, so every start sends
 * Create; a handler that fails stops the start, as a failed custom resource fails a deploy.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../config';
import type { FunctionPool } from '../lambda/function-pool';
import type { CustomResourceModel } from '../template/custom-resources-model';
import type { FunctionModel } from '../template/functions';

/** Pause between polls; the provider's own interval only matters where old code may still be running. */
const LOCAL_POLL_MS = 100;

export async function createCustomResources(
  stackName: string,
  resources: readonly CustomResourceModel[],
  poolFor: (fn: FunctionModel) => FunctionPool,
): Promise<void> {
  for (const resource of resources) await createOne(stackName, resource, poolFor);
}

async function createOne(stackName: string, resource: CustomResourceModel, poolFor: (fn: FunctionModel) => FunctionPool): Promise<void> {
  const event = {
    RequestType: 'Create',
    RequestId: randomUUID(),
    StackId: `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${stackName}/local`,
    LogicalResourceId: resource.logicalId,
    ResourceType: resource.resourceType,
    ServiceToken: resource.properties.ServiceToken,
    ResourceProperties: resource.properties,
    ResponseURL: 'local',
  };
  const created = (await invoke(poolFor(resource.onEvent), event, resource)) as { PhysicalResourceId?: string; Data?: unknown } | null;
  if (!resource.isComplete) return;
  const polled = { ...event, PhysicalResourceId: created?.PhysicalResourceId ?? event.RequestId, Data: created?.Data ?? {} };
  while (!((await invoke(poolFor(resource.isComplete), polled, resource)) as { IsComplete?: boolean } | null)?.IsComplete) {
    await new Promise((resolve) => setTimeout(resolve, LOCAL_POLL_MS));
  }
}

async function invoke(pool: FunctionPool, event: unknown, resource: CustomResourceModel): Promise<unknown> {
  const result = await pool.invoke(event);
  if (!result.ok) throw new Error(`custom resource ${resource.logicalId} (${resource.resourceType}) failed in ${pool.fn.name}: ${result.errorType}: ${result.errorMessage}`);
  return result.payload;
}
