/**
 * The service under measurement: a local runtime of the bench's own (the integration harness's
 * startRuntimeProcess, so it runs in its own process as `npm start` does, on free ports and a temp
 * data dir), a signed-up user, clients as devices of that user, and an S3 client for the baseline
 * that talks to the same S3 endpoint the runtime's presigned URLs point at.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToteClient, type ToteClient, type ToteClientOptions, type ToteEvent } from '../client/src';
import { layoutOf } from '../local/ceph/layout';
import { dataLayout } from '../local/config';
import type { S3BackendName } from '../local/emulators/s3-backend';
import { startRuntimeProcess, type RuntimeProcess } from '../test/integration/harness/runtime-process';
import { targetOf, type Target } from '../test/integration/harness/target';
import { createUser, type TestUser } from '../test/integration/harness/users';

export interface Service {
  readonly s3Backend: S3BackendName;
  readonly runtime: RuntimeProcess;
  readonly target: Target;
  readonly user: TestUser;
  /** Folder for the bench's own files (devices, generated data), removed by stop(). */
  readonly workDir: string;
  /** A client with its own state (another device of the same user), signed in. */
  device(name: string, options?: ToteClientOptions): Promise<Device>;
  /** An S3 client for the runtime's S3 endpoint, and an empty bucket of the bench's own on it. */
  baselineBucket(): Promise<{ s3: S3Client; bucket: string }>;
  stop(): Promise<void>;
}

export interface Device {
  readonly client: ToteClient;
  readonly configDir: string;
  readonly stateDir: string;
  readonly events: ToteEvent[];
  /** When each event came (performance.now(), ms), in the order of `events`. */
  readonly times: number[];
}

/** The emulators accept any key except radosgw, whose S3 user is created with the cluster. */
const LOCAL_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startService(s3Backend: S3BackendName): Promise<Service> {
  const workDir = mkdtempSync(join(tmpdir(), 'tote-bench-'));
  const dataDir = join(workDir, 'runtime');
  // For the user pool (cognito-local takes any key) and the SDK's notices.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: LOCAL_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_KEYS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  // Not a timed test: on a loaded machine synthesizing after a code change alone can take minutes.
  const runtime = await startRuntimeProcess({ dataDir, logFile: join(workDir, 'runtime.log'), s3Backend, timeoutMs: 15 * 60_000 });
  process.env.AWS_REGION = runtime.info.region;
  const target = targetOf(runtime.info);
  const user = await createUser(target);
  const clients: ToteClient[] = [];

  return {
    s3Backend,
    runtime,
    target,
    user,
    workDir,
    async device(name, options = {}) {
      const root = join(workDir, 'devices', name);
      const events: ToteEvent[] = [];
      const times: number[] = [];
      const client = await createToteClient({
        endpoint: target.apiUrl,
        configDir: join(root, 'config'),
        stateDir: join(root, 'state'),
        env: {},
        onEvent: (e) => {
          events.push(e);
          times.push(performance.now());
        },
        ...options,
      });
      await client.login(user.email, user.password);
      clients.push(client);
      return { client, configDir: join(root, 'config'), stateDir: join(root, 'state'), events, times };
    },
    async baselineBucket() {
      const keys = s3Backend === 'radosgw' ? radosgwKeys(dataDir) : LOCAL_KEYS;
      const s3 = new S3Client({ region: runtime.info.region, endpoint: runtime.info.s3Endpoint, forcePathStyle: true, credentials: keys });
      const bucket = `bench-baseline-${Date.now()}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return { s3, bucket };
    },
    async stop() {
      clients.forEach((c) => c.close());
      const code = await runtime.stop();
      if (code !== 0) process.stderr.write(`bench: the runtime exited with ${code}; its log is kept in ${workDir}\n`);
      else rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The runtime's radosgw S3 user, as its cluster recorded it in the data dir. */
function radosgwKeys(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const identity = JSON.parse(readFileSync(layoutOf(dataLayout(dataDir).ceph).state, 'utf8')) as { accessKeyId?: string; secretAccessKey?: string };
  if (!identity.accessKeyId || !identity.secretAccessKey) throw new Error('the radosgw cluster of the bench runtime recorded no S3 keys');
  return { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey };
}
