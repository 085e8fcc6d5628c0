/**
 * Custom resources backed by the CDK provider framework: the resource's ServiceToken names the
 * framework's onEvent function, whose environment names the user's onEvent and isComplete handlers.
 * Locally those handlers are invoked directly (provision/custom-resources.ts), as the framework would.
 * Custom resources of other kinds (CDK's bucket-notifications helper) are served elsewhere or not at all.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString } from './resources';
import type { CfnTemplate, JsonObject } from './types';

/** The variables the provider framework's functions read (aws-cdk-lib custom-resources runtime/consts). */
const USER_ON_EVENT = 'USER_ON_EVENT_FUNCTION_ARN';
const USER_IS_COMPLETE = 'USER_IS_COMPLETE_FUNCTION_ARN';

export interface CustomResourceModel {
  readonly logicalId: string;
  readonly resourceType: string;
  /** Resolved, ServiceToken included (as CloudFormation sends them). */
  readonly properties: JsonObject;
  readonly onEvent: FunctionModel;
  readonly isComplete?: FunctionModel;
}

export function customResourceModels(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): CustomResourceModel[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    if (!resource.Type.startsWith('Custom::') && resource.Type !== 'AWS::CloudFormation::CustomResource') return [];
    const where = `${resource.Type} ${logicalId}`;
    const properties = asObject(resolve(resource.Properties ?? {}, where), where);
    const framework = functionByArn(functions, asString(properties.ServiceToken, `${where}.ServiceToken`));
    const onEventArn = framework?.environment[USER_ON_EVENT];
    if (onEventArn === undefined) return [];
    const handler = (arn: string) => {
      const fn = functionByArn(functions, arn);
      if (!fn) throw new Error(`${where}: provider handler ${arn} is not a function with a bundled asset`);
      return fn;
    };
    const isCompleteArn = framework?.environment[USER_IS_COMPLETE];
    return [{ logicalId, resourceType: resource.Type, properties, onEvent: handler(onEventArn), ...(isCompleteArn ? { isComplete: handler(isCompleteArn) } : {}) }];
  });
}
