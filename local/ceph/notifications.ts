/**
 * radosgw pushes bucket notifications to an HTTP endpoint as JSON close to, but not exactly, the S3
 * event AWS delivers to Lambda. This turns one pushed body into the event the chunk tracker consumes.
 *
 * Where radosgw 16 differs from AWS (seen on the wire, see test/integration/radosgw/notifications.test.ts):
 * - the object key is raw, while AWS URL-encodes it ('+' for a space) and the tracker decodes it;
 * - an unversioned object has `versionId: ""`, where AWS leaves the field out;
 * - eventSource is `ceph:s3` and awsRegion is empty;
 * - object metadata and tags ride along in the record; AWS sends neither.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const RadosgwRecord = Type.Object({
  eventVersion: Type.String(),
  eventTime: Type.String(),
  eventName: Type.String(),
  userIdentity: Type.Object({ principalId: Type.String() }),
  requestParameters: Type.Object({ sourceIPAddress: Type.String() }),
  responseElements: Type.Object({ 'x-amz-request-id': Type.String(), 'x-amz-id-2': Type.String() }),
  s3: Type.Object({
    configurationId: Type.String(),
    bucket: Type.Object({ name: Type.String(), ownerIdentity: Type.Object({ principalId: Type.String() }), arn: Type.String() }),
    object: Type.Object({
      key: Type.String(),
      size: Type.Integer({ minimum: 0 }),
      eTag: Type.String(),
      versionId: Type.Optional(Type.String()),
      sequencer: Type.String(),
    }),
  }),
});
const RadosgwNotification = Type.Object({ Records: Type.Array(RadosgwRecord) });
type RadosgwRecord = Static<typeof RadosgwRecord>;

/** Parses a body radosgw pushed and returns the S3 event AWS would have delivered for it. */
export function s3EventFromRadosgw(body: string, region: string): S3Event {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('radosgw notification is not JSON');
  }
  if (!Value.Check(RadosgwNotification, parsed)) {
    const first = Value.Errors(RadosgwNotification, parsed).First();
    throw new Error(`not a radosgw notification: ${first ? `${first.path} ${first.message}` : 'unexpected shape'}`);
  }
  return { Records: parsed.Records.map((record) => toAwsRecord(record, region)) };
}

function toAwsRecord(record: RadosgwRecord, region: string): S3EventRecord {
  const { object, bucket } = record.s3;
  return {
    eventVersion: record.eventVersion,
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: record.eventTime,
    eventName: record.eventName,
    userIdentity: record.userIdentity,
    requestParameters: record.requestParameters,
    responseElements: record.responseElements,
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: record.s3.configurationId,
      bucket: { name: bucket.name, ownerIdentity: bucket.ownerIdentity, arn: bucket.arn },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        eTag: object.eTag,
        ...(object.versionId ? { versionId: object.versionId } : {}),
        sequencer: object.sequencer,
      },
    },
  };
}

/**
 * An object key as AWS writes it into an event: form URL encoding (UTF-8 bytes as %XX, a space as
 * '+') that keeps letters, digits, '-', '_', '.', '*' and the '/' between key segments.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}
