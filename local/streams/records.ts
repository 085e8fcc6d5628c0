/**
 * DynamoDB stream records as Lambda delivers them to a function: what GetRecords answers, with the
 * creation time in epoch seconds, binary values in base64, the region the runtime claims, and the
 * stream ARN of the event source mapping (the template's, not DynamoDB Local's own).
 */
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_REGION } from '../config';

export interface LambdaStreamRecord {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly eventVersion?: string;
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: Record<string, unknown>;
  readonly eventSourceARN: string;
  readonly userIdentity?: unknown;
}

const binaryAsBase64 = (_key: string, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value);

export function lambdaRecord(record: StreamRecord, eventSourceArn: string): LambdaStreamRecord {
  const { ApproximateCreationDateTime, ...change } = record.dynamodb ?? {};
  const created = ApproximateCreationDateTime instanceof Date ? Math.floor(ApproximateCreationDateTime.getTime() / 1000) : undefined;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    dynamodb: JSON.parse(JSON.stringify({ ...(created === undefined ? {} : { ApproximateCreationDateTime: created }), ...change }, binaryAsBase64)) as Record<string, unknown>,
    eventSourceARN: eventSourceArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
}

/** Epoch seconds the record was written, or undefined when the stream did not say. */
export const recordTime = (record: LambdaStreamRecord): number | undefined =>
  typeof record.dynamodb.ApproximateCreationDateTime === 'number' ? record.dynamodb.ApproximateCreationDateTime : undefined;
