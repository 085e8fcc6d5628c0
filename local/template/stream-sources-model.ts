/**
 * Lambda event source mappings on DynamoDB table streams, as the template defines them: which table's
 * stream feeds which function, how records are batched, filtered and retried, and where a batch that
 * keeps failing is reported. Other event sources (SQS, Kinesis) are refused: nothing runs them locally.
 */
import { functionByArn, type FunctionModel } from './functions';
import type { Resolver } from './intrinsics';
import { asObject, asString, resourcesOfType } from './resources';
import type { CfnTemplate } from './types';

export interface StreamSourceModel {
  readonly logicalId: string;
  readonly function: FunctionModel;
  /** Logical id of the table whose stream is read. */
  readonly table: string;
  /** The stream ARN as the template resolves it, what records carry as `eventSourceARN`. */
  readonly eventSourceArn: string;
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Lambda event filter patterns (JSON); a record matching any of them is delivered. None: every record. */
  readonly filterPatterns: readonly unknown[];
  /** Retries of a failed batch; -1 means until the records are too old. */
  readonly maxRetries: number;
  readonly bisectOnError: boolean;
  readonly maxRecordAgeSeconds: number;
}

/** Lambda's defaults for stream sources. */
const DEFAULTS = { batchSize: 100, maxBatchingWindowSeconds: 0, maxRetries: -1, maxRecordAgeSeconds: -1 };

export function streamSourceModels(template: CfnTemplate, resolve: Resolver, functions: readonly FunctionModel[]): StreamSourceModel[] {
  return resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([logicalId, resource]) => {
    const where = `AWS::Lambda::EventSourceMapping ${logicalId}`;
    const raw = resource.Properties ?? {};
    const table = (raw.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    if (!table || table[1] !== 'StreamArn' || template.Resources[table[0]]?.Type !== 'AWS::DynamoDB::Table') {
      throw new Error(`${where}: only DynamoDB table streams (Fn::GetAtt <table>.StreamArn) run locally`);
    }
    const props = asObject(resolve(raw, where), where);
    const name = asString(props.FunctionName, `${where}.FunctionName`);
    const fn = functionByArn(functions, name);
    if (!fn) throw new Error(`${where}: ${name} is not a function with a bundled asset`);
    const position = String(props.StartingPosition ?? '');
    if (position !== 'LATEST' && position !== 'TRIM_HORIZON') throw new Error(`${where}: starting position ${position} is not supported locally`);
    const filters = (asObject(props.FilterCriteria ?? {}, `${where}.FilterCriteria`).Filters ?? []) as Array<{ Pattern?: unknown }>;
    const number = (value: unknown, fallback: number) => (value === undefined ? fallback : Number(value));
    return {
      logicalId,
      function: fn,
      table: table[0],
      eventSourceArn: asString(props.EventSourceArn, `${where}.EventSourceArn`),
      startingPosition: position,
      batchSize: number(props.BatchSize, DEFAULTS.batchSize),
      maxBatchingWindowSeconds: number(props.MaximumBatchingWindowInSeconds, DEFAULTS.maxBatchingWindowSeconds),
      filterPatterns: filters.map((f, i) => JSON.parse(asString(f.Pattern, `${where}.FilterCriteria.Filters[${i}].Pattern`)) as unknown),
      maxRetries: number(props.MaximumRetryAttempts, DEFAULTS.maxRetries),
      bisectOnError: props.BisectBatchOnFunctionError === true,
      maxRecordAgeSeconds: number(props.MaximumRecordAgeInSeconds, DEFAULTS.maxRecordAgeSeconds),
    };
  });
}
