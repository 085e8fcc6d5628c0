/**
 * Which functions S3 notifies: from CDK's Custom::S3BucketNotifications resources and from any
 * bucket's own NotificationConfiguration, both using S3's LambdaFunctionConfigurations shape.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString, asStrings, resourcesOfType } from './resources';
import type { CfnTemplate, JsonObject } from './types';

export interface NotificationModel {
  readonly bucket: string;
  readonly function: FunctionModel;
  /** S3 event types, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

export function notificationModels(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): NotificationModel[] {
  const sources: Array<{ where: string; bucket: unknown; config: unknown }> = [
    ...resourcesOfType(template, 'Custom::S3BucketNotifications').map(([id, r]) => ({
      where: `Custom::S3BucketNotifications ${id}`,
      bucket: r.Properties?.BucketName,
      config: r.Properties?.NotificationConfiguration,
    })),
    ...resourcesOfType(template, 'AWS::S3::Bucket')
      .filter(([, r]) => r.Properties?.NotificationConfiguration)
      .map(([id, r]) => ({ where: `AWS::S3::Bucket ${id}`, bucket: { Ref: id }, config: r.Properties?.NotificationConfiguration })),
  ];
  return sources.flatMap(({ where, bucket, config }) => {
    const bucketName = asString(resolve(bucket, `${where}.BucketName`), `${where}.BucketName`);
    const resolved = asObject(resolve(config ?? {}, where), where);
    const lambdaConfigs = Array.isArray(resolved.LambdaFunctionConfigurations) ? resolved.LambdaFunctionConfigurations : [];
    return lambdaConfigs.map((raw: unknown, i: number) => {
      const item = asObject(raw, `${where} LambdaFunctionConfigurations[${i}]`);
      const arn = asString(item.LambdaFunctionArn ?? item.Function, `${where} LambdaFunctionArn`);
      const fn = functionByArn(functions, arn);
      if (!fn) throw new Error(`${where}: notification target ${arn} is not a function with a bundled asset`);
      const rules = filterRules(item);
      return {
        bucket: bucketName,
        function: fn,
        events: asStrings(item.Events ?? (item.Event ? [item.Event] : []), `${where} Events`),
        prefix: rules.prefix ?? '',
        suffix: rules.suffix ?? '',
      };
    });
  });
}

function filterRules(item: JsonObject): { prefix?: string; suffix?: string } {
  const key = (item.Filter as { Key?: { FilterRules?: unknown; Rules?: unknown } } | undefined)?.Key;
  const rules = (key?.FilterRules ?? key?.Rules ?? []) as Array<{ Name: string; Value: string }>;
  return Object.fromEntries(rules.map((rule) => [rule.Name.toLowerCase(), rule.Value]));
}
