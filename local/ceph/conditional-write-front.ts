/**
 * radosgw 16 honours `If-None-Match: *` on an unversioned bucket, but on a versioned one (our chunk
 * bucket) it stores every such PUT as a new version: it checks the condition against the new version's
 * own object, which never exists. AWS answers 412 when the key has a current version, and the design
 * relies on it (an uploaded chunk is never replaced; 412 tells the client "already there").
 *
 * This front passes every request to radosgw untouched (Host included, so signatures still verify)
 * and fixes that one answer: a conditional PUT to a key that had a current version is still sent on,
 * so radosgw checks its signature, expiry and signed headers first as AWS does (a forged URL gets 403,
 * never a 412 that would reveal the key exists); only when radosgw stored it is the new version deleted
 * again and the answer turned into 412. Its notification was pushed during the PUT: `pending` holds
 * it until the verdict, so the tracker never sees the undone version. A copy (PUT with
 * x-amz-copy-source, as the tracker places a staged chunk) gets the same treatment.
 */
import * as http from 'node:http';
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LOCAL_HOST } from '../config';
import { answerPreconditionFailed, conditionalPut, type ObjectAddress } from '../emulators/conditional-writes';
import { closeServer, listen } from '../http/server';
import type { PendingConditionalWrites } from './pending-conditional-writes';

export interface ConditionalWriteFront {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Listens on `port` (0: a free one) and forwards to radosgw at `upstream`; `admin` may read and delete any object. */
export async function startConditionalWriteFront(opts: {
  readonly port: number;
  readonly upstream: string;
  readonly admin: S3Client;
  readonly pending: PendingConditionalWrites;
}): Promise<ConditionalWriteFront> {
  const upstream = new URL(opts.upstream);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy(err);
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`radosgw front: ${err.message}`);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const put = conditionalPut(req);
    const previous = put === undefined ? undefined : await currentVersion(opts.admin, put);
    if (!put || previous === undefined) return relay(await forward(req), res);
    const settle = opts.pending.begin(put);
    let refusedVersion: string | undefined;
    try {
      const answer = await forward(req);
      // A copy (x-amz-copy-source) is not answered with the version it made: the key's current one is it.
      const named = answer.headers['x-amz-version-id'];
      const versionId = typeof named === 'string' ? named : answer.statusCode === 200 ? await currentVersion(opts.admin, put) : undefined;
      if (answer.statusCode !== 200 || versionId === undefined || versionId === previous) return relay(answer, res);
      answer.resume();
      await opts.admin.send(new DeleteObjectCommand({ Bucket: put.bucket, Key: put.key, VersionId: versionId }));
      refusedVersion = versionId;
      answerPreconditionFailed(req, res);
    } finally {
      settle(refusedVersion);
    }
  }

  function relay(answer: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
  }

  function forward(req: http.IncomingMessage): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        resolve,
      );
      out.once('error', reject);
      req.pipe(out);
    });
  }

  const port = await listen(server, opts.port, 's3');
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    async stop() {
      await closeServer(server);
      agent.destroy();
    },
  };
}

/** The key's current version, if it has one (a delete marker on top counts as none, as for S3's condition). */
async function currentVersion(admin: S3Client, { bucket, key }: ObjectAddress): Promise<string | undefined> {
  try {
    return (await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).VersionId ?? 'null';
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}
