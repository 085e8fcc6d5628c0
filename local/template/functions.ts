/**
 * The Lambda functions the runtime can run: those whose code is a bundled CDK asset (inline-code
 * helpers such as CDK's bucket-notifications handler only matter to CloudFormation).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Resolver } from './intrinsics';
import { asObject, asString, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

export interface FunctionModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Absolute path of the JavaScript file the handler lives in. */
  readonly entryFile: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Template environment, resolved to local values. */
  readonly environment: Readonly<Record<string, string>>;
  /** Retries of a failed asynchronous invocation (AWS::Lambda::EventInvokeConfig, default 2). */
  readonly asyncRetries: number;
}

/** Lambda's defaults when the template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_ASYNC_RETRIES = 2;

export function functionModels(
  template: CfnTemplate,
  resolve: Resolver,
  assemblyDir: string,
): FunctionModel[] {
  const retries = asyncRetryOverrides(template, resolve);
  return resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([logicalId, resource]) => {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') return [];
    const where = `AWS::Lambda::Function ${logicalId}`;
    const props = asObject(resolve(resource.Properties ?? {}, where), where);
    const handler = asString(props.Handler, `${where}.Handler`);
    const dot = handler.lastIndexOf('.');
    const variables = asObject(asObject(props.Environment ?? {}, `${where}.Environment`).Variables ?? {}, `${where}.Environment.Variables`);
    const name = asString(resolve({ Ref: logicalId }, where), `${where} name`);
    return [
      {
        logicalId,
        name,
        arn: asString(resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }, where), `${where}.Arn`),
        entryFile: entryFile(path.join(assemblyDir, assetPath), handler.slice(0, dot)),
        exportName: handler.slice(dot + 1),
        timeoutSeconds: Number(props.Timeout ?? DEFAULT_TIMEOUT_SECONDS),
        memoryMb: Number(props.MemorySize ?? DEFAULT_MEMORY_MB),
        environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
        asyncRetries: retries.get(name) ?? DEFAULT_ASYNC_RETRIES,
      },
    ];
  });
}

/** The module Lambda's Node runtime would load for `index.handler`: index.js, index.mjs or index.cjs. */
function entryFile(assetDir: string, module: string): string {
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => path.join(assetDir, `${module}${ext}`));
  return candidates.find((file) => fs.existsSync(file)) ?? candidates[0];
}

/** MaximumRetryAttempts by function name, from AWS::Lambda::EventInvokeConfig. */
function asyncRetryOverrides(template: CfnTemplate, resolve: Resolver): Map<string, number> {
  const overrides = new Map<string, number>();
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const where = `AWS::Lambda::EventInvokeConfig ${logicalId}`;
    const props = asObject(resolve(resource.Properties ?? {}, where), where);
    if (props.MaximumRetryAttempts !== undefined) {
      overrides.set(asString(props.FunctionName, `${where}.FunctionName`), Number(props.MaximumRetryAttempts));
    }
  }
  return overrides;
}

/** The function an ARN names: plain function ARNs and API Gateway's `.../functions/<arn>/invocations` form. */
export function functionByArn(functions: readonly FunctionModel[], uri: string): FunctionModel | undefined {
  const arn = /functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1] ?? uri;
  return functions.find((fn) => fn.arn === arn || fn.name === arn);
}
