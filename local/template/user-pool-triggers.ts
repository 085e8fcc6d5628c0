/**
 * The functions each user pool runs on its events (LambdaConfig of AWS::Cognito::UserPool), as far
 * as the local runtime runs them: cognito-local calls the runtime's Lambda Invoke API for these
 * (lambda/invoke-api.ts). A trigger the runtime would not run is an error at start, never a silent gap.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

/** LambdaConfig keys the runtime runs (each is also the prefix of the triggerSource Cognito sends). */
export const LOCAL_TRIGGERS = ['PostConfirmation'] as const;
export type LocalTrigger = (typeof LOCAL_TRIGGERS)[number];

export interface UserPoolTriggers {
  /** Logical id of the user pool. */
  readonly pool: string;
  readonly functions: Readonly<Partial<Record<LocalTrigger, FunctionModel>>>;
}

export function userPoolTriggers(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): UserPoolTriggers[] {
  return resourcesOfType(template, 'AWS::Cognito::UserPool').map(([pool, resource]) => {
    const where = `AWS::Cognito::UserPool ${pool}.LambdaConfig`;
    const config = asObject(resolve(resource.Properties?.LambdaConfig ?? {}, where), where);
    const found: Partial<Record<LocalTrigger, FunctionModel>> = {};
    for (const [trigger, target] of Object.entries(config)) {
      if (!(LOCAL_TRIGGERS as readonly string[]).includes(trigger)) {
        throw new Error(`${where}: the local runtime runs ${LOCAL_TRIGGERS.join(', ')} triggers only, not ${trigger}`);
      }
      const arn = asString(target, `${where}.${trigger}`);
      const fn = functionByArn(functions, arn);
      if (!fn) throw new Error(`${where}.${trigger}: ${arn} is not a function with a bundled asset`);
      found[trigger as LocalTrigger] = fn;
    }
    return { pool, functions: found };
  });
}
