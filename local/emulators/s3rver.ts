/**
 * s3rver, an npm S3 emulator, served in-process behind a thin HTTP front that adds the one S3 behaviour
 * the design relies on and s3rver lacks: conditional writes (`If-None-Match: *` answers 412 when the key
 * exists). Its in-process 'event' emitter is adapted into a NotificationSource.
 */
import * as http from 'node:http';
import S3rver from 's3rver';
import { LOCAL_HOST } from '../config';
import { closeServer, listen } from '../http/server';
import { createNotificationHub, type ObjectCreated } from '../notifications/source';
import { createSequencer } from '../notifications/sequencer';
import { answerPreconditionFailed, conditionalPut } from './conditional-writes';
import { localCredentials } from './credentials';
import type { S3BackendFactory } from './s3-backend';

export const startS3rver: S3BackendFactory = async (opts) => {
  const s3rver = new S3rver({ directory: opts.dataDir, silent: true, vhostBuckets: false });
  const hub = createNotificationHub();
  const nextSequencer = createSequencer();
  s3rver.on('event', (event) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const notice: ObjectCreated = {
        eventName: record.eventName as ObjectCreated['eventName'],
        eventTime: record.eventTime,
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: record.s3.object.size ?? 0,
        eTag: record.s3.object.eTag ?? '',
        sequencer: nextSequencer(),
        sourceIp: record.requestParameters.sourceIPAddress,
      };
      hub.publish(notice);
    }
  });

  const handle = s3rver.callback();
  const server = http.createServer((req, res) => {
    conditionalWriteAllowed(s3rver, req).then(
      (allowed) => (allowed ? handle(req, res) : answerPreconditionFailed(req, res)),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  const port = await listen(server, opts.port, 's3');
  return {
    name: 's3rver',
    endpoint: `http://${LOCAL_HOST}:${port}`,
    credentials: localCredentials,
    notifications: hub,
    versioning: false,
    stop: () => closeServer(server),
  };
};

/** False only for a PutObject with `If-None-Match: *` whose key already exists. */
async function conditionalWriteAllowed(s3rver: S3rver, req: http.IncomingMessage): Promise<boolean> {
  const put = conditionalPut(req);
  return !put || !(await s3rver.store.existsObject(put.bucket, put.key));
}
