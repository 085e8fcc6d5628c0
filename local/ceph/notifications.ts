/**
 * radosgw pushes bucket notifications to an HTTP endpoint as JSON close to, but not exactly, the S3
 * event AWS delivers. This reads one pushed body into the runtime's object-created notices, from which
 * local/notifications/records.ts builds the records AWS would send (URL-encoded key and all).
 *
 * How radosgw 16 differs from AWS on the wire (pinned in test/integration/radosgw/notifications.test.ts):
 * - the object key is raw, while AWS URL-encodes it ('+' for a space);
 * - an unversioned object has `versionId: ""`, where AWS leaves the field out;
 * - eventSource is `ceph:s3`, awsRegion and sourceIPAddress are empty;
 * - object metadata and tags ride along in the record; AWS sends neither.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ObjectCreated } from '../notifications/source';

const RadosgwRecord = Type.Object({
  eventTime: Type.String(),
  eventName: Type.String(),
  requestParameters: Type.Object({ sourceIPAddress: Type.String() }),
  s3: Type.Object({
    bucket: Type.Object({ name: Type.String() }),
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

const isCreated = (eventName: string): eventName is ObjectCreated['eventName'] => eventName.startsWith('ObjectCreated:');

/** The object-created notices in a body radosgw pushed (other event types are left out). */
export function noticesFromRadosgw(body: string): ObjectCreated[] {
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
  return parsed.Records.flatMap(({ eventName, eventTime, requestParameters, s3: { bucket, object } }) =>
    isCreated(eventName)
      ? [
          {
            eventName,
            eventTime,
            bucket: bucket.name,
            key: object.key,
            size: object.size,
            eTag: object.eTag,
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer: object.sequencer,
            // radosgw 16 leaves it empty; every client of a local radosgw is on the loopback.
            sourceIp: requestParameters.sourceIPAddress || '127.0.0.1',
          },
        ]
      : [],
  );
}
