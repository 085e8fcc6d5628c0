/**
 * radosgw as the local runtime's S3 (instead of s3rver): a Ceph cluster from ./radosgw behind the
 * front that gives versioned buckets S3's conditional writes (./conditional-write-front), plus the HTTP
 * endpoint its bucket notifications are pushed to, which feeds the runtime's notification dispatcher
 * exactly what radosgw sent (read by ./notifications).
 */
import * as http from 'node:http';
import { PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import type { S3Backend } from '../emulators/s3-backend';
import { closeServer, listen } from '../http/server';
import { createNotificationHub, type ObjectCreated } from '../notifications/source';
import { startConditionalWriteFront, type ConditionalWriteFront } from './conditional-write-front';
import { noticesFromRadosgw } from './notifications';
import { PendingConditionalWrites } from './pending-conditional-writes';
import { startRadosgw, stopRadosgw } from './radosgw';
import { radosgwS3Client } from './s3-client';
import { createTopic } from './topics';

const TOPIC = 'tote-local-object-created';
const PUSH_PATH = '/radosgw/notifications';

export interface RadosgwBackend extends S3Backend {
  /**
   * Routes every ObjectCreated event of the bucket to the runtime's dispatcher, which applies the
   * template's filters. Call it on each start once the bucket exists: radosgw 16 copies the topic's
   * push endpoint into the bucket's configuration, and the endpoint's port changes between starts.
   */
  watchBucket(bucket: string): Promise<void>;
}

/**
 * Starts radosgw in `dataDir`, which the caller must hold exclusively (the runtime's data dir lock).
 * S3 clients are served on `port` by the front; radosgw itself listens on a free port behind it.
 */
export async function startRadosgwBackend(opts: { readonly dataDir: string; readonly port: number }): Promise<RadosgwBackend> {
  // Ceph daemons outlive a runtime that was killed (they are detached); under the lock they are ours.
  await stopRadosgw(opts.dataDir);
  const rgw = await startRadosgw({ dataDir: opts.dataDir });
  const hub = createNotificationHub();
  const pending = new PendingConditionalWrites();
  const receiver = http.createServer((req, res) =>
    receive(req, res, (notice) => {
      void pending.refused(notice, notice.versionId).then((refused) => refused || hub.publish(notice));
    }),
  );
  const client = radosgwS3Client(rgw);
  let front: ConditionalWriteFront | undefined;
  const stop = async () => {
    await front?.stop();
    client.destroy();
    await closeServer(receiver);
    await rgw.stop();
  };
  try {
    front = await startConditionalWriteFront({ port: opts.port, upstream: rgw.endpoint, admin: client, pending });
    const port = await listen(receiver, 0, 's3');
    const topicArn = await createTopic(rgw, TOPIC, { pushEndpoint: `http://127.0.0.1:${port}${PUSH_PATH}` });
    return {
      name: 'radosgw',
      endpoint: front.endpoint,
      credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
      notifications: hub,
      versioning: true,
      async watchBucket(bucket) {
        await client.send(
          new PutBucketNotificationConfigurationCommand({
            Bucket: bucket,
            NotificationConfiguration: {
              TopicConfigurations: [{ Id: 'tote-local-runtime', TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }],
            },
          }),
        );
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One push from radosgw. It waits for this answer inside the client's PUT (the topic is not
 * persistent), so notices are handed on and answered at once; the dispatcher invokes asynchronously.
 * A body that cannot be read gets 400, and radosgw logs it and drops the event.
 */
function receive(req: http.IncomingMessage, res: http.ServerResponse, publish: (notice: ObjectCreated) => void): void {
  if (req.method !== 'POST' || req.url !== PUSH_PATH) {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    let notices: ObjectCreated[];
    try {
      notices = noticesFromRadosgw(Buffer.concat(parts).toString('utf8'));
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end((err as Error).message);
      return;
    }
    notices.forEach(publish);
    res.writeHead(200).end();
  });
}
