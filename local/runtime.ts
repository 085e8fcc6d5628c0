/**
 * startLocalRuntime: the whole service on 127.0.0.1, from the synthesized CDK template. Emulators start
 * in parallel with the synth; then the template's resources are created in them, its functions get
 * worker pools, and the API, the edge and S3 notifications are wired to those functions.
 */
import * as fs from 'node:fs';
import { startRadosgwBackend } from './ceph/backend';
import { stopRadosgw } from './ceph/radosgw';
import { dataLayout, DEFAULT_PORTS, LOCAL_REGION, RANDOM_PORTS, type DataLayout, type DynamoDbStore, type PortConfig } from './config';
import { cognitoClientFor, dynamoDbClientFor, dynamoDbStreamsClientFor, s3ClientFor } from './emulators/clients';
import { startCognitoLocal } from './emulators/cognito';
import { startDynamoDbLocal } from './emulators/dynamodb';
import type { S3BackendFactory, S3BackendName } from './emulators/s3-backend';
import { startS3rver } from './emulators/s3rver';
import { startSecretsStandIn } from './emulators/secrets';
import { discard, quietFilter, type EventSink } from './host/events';
import { startDeferredServer } from './http/deferred-server';
import { endLeftovers } from './process/leftovers';
import { acquirePidLock } from './process/pid-lock';
import { concretePort } from './process/ports';
import { createStopList } from './process/stop-list';
import { deploy, type DeployedNames } from './deploy';
import { ensureSigningKey } from './provision/signing-key';
import { synthesize } from './synth/synthesize';
import { buildWeb } from '../web/build';

export interface LocalRuntimeOptions {
  /** Folder for all persistent data (tables, objects, users, signing key). Created if missing. */
  readonly dataDir: string;
  /** Ports per service, or 'random' for free ones (tests). Unlisted services use the defaults. */
  readonly ports?: 'random' | Partial<PortConfig>;
  /** Pass only what a person must see (ready, confirmation codes, warnings) to onEvent. */
  readonly quiet?: boolean;
  /** The output host. Default: discard everything. */
  readonly onEvent?: EventSink;
  /** Where synthesized assemblies are cached, keyed by a hash of their sources. Default `<dataDir>/cdk.out`. */
  readonly synthCacheDir?: string;
  /** The S3 implementation. Default: s3rver, in-process. */
  readonly s3Backend?: S3BackendName;
  /** Where DynamoDB Local keeps its tables (config.ts). Default: disk. */
  readonly dynamoDbStore?: DynamoDbStore;
  /**
   * Aborted while starting (Ctrl-C, SIGTERM), the start stops what has started so far and rejects;
   * once started, stop() is the way.
   */
  readonly signal?: AbortSignal;
}

/**
 * How each S3 implementation starts, the data-dir folder it keeps its objects in, and how to end the
 * daemons of one still starting (radosgw's are detached, so the runtime's exit does not take them along).
 */
const S3_IMPLEMENTATIONS: Record<
  S3BackendName,
  { readonly start: S3BackendFactory; readonly dataDir: (layout: DataLayout) => string; readonly stopDaemons?: (dataDir: string) => Promise<void> }
> = {
  s3rver: { start: startS3rver, dataDir: (layout) => layout.s3 },
  radosgw: { start: startRadosgwBackend, dataDir: (layout) => layout.ceph, stopDaemons: stopRadosgw },
};

export interface LocalRuntime extends DeployedNames {
  readonly apiUrl: string;
  /** The web app (its CloudFront distribution, served locally from the template like the edge). */
  readonly webUrl: string;
  readonly edgeUrl: string;
  readonly s3Endpoint: string;
  /** The key s3Endpoint accepts (a local one: tests read the bucket with it). */
  readonly s3Credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Which S3 implementation serves s3Endpoint. */
  readonly s3Backend: S3BackendName;
  /** The Lambda Invoke API, and POST /schedules/run to run the scheduled rules now (local/lambda/invoke-api.ts). */
  readonly lambdaEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly cognitoEndpoint: string;
  readonly secretsEndpoint: string;
  readonly region: string;
  readonly dataDir: string;
  /** Milliseconds per start-up phase, and `total`. */
  readonly timings: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const began = Date.now();
  const sink = options.onEvent ?? discard;
  const emit = options.quiet ? quietFilter(sink) : sink;
  const ports: PortConfig = options.ports === 'random' ? RANDOM_PORTS : { ...DEFAULT_PORTS, ...options.ports };
  const layout = dataLayout(options.dataDir);
  const s3Backend = options.s3Backend ?? 's3rver';
  const s3Implementation = S3_IMPLEMENTATIONS[s3Backend];
  emit({ type: 'starting', dataDir: layout.root });
  for (const dir of [layout.root, layout.dynamodb, s3Implementation.dataDir(layout), layout.cognito, layout.logs]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const stopList = createStopList();
  stopList.add('data dir lock', acquirePidLock(layout.lock));
  for (const leftover of await endLeftovers(layout.run, layout.root)) {
    emit({ type: 'warning', message: `ended ${leftover}, left running by a runtime that did not stop cleanly` });
  }

  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await work();
    timings[phase] = Date.now() - t0;
    emit({ type: 'phase', phase, ms: timings[phase] });
    return result;
  };
  const started = async <T extends { stop(): Promise<void> }>(name: string, work: () => Promise<T>): Promise<T> => {
    const service = await timed(name, work);
    stopList.add(name, () => service.stop());
    if (options.signal?.aborted) {
      // The abort stopped the list before this one was on it.
      await stopList.stopAll();
      throw new Error(`stopped while ${name} was starting`);
    }
    return service;
  };
  const s3DataDir = s3Implementation.dataDir(layout);
  const stopS3Daemons = s3Implementation.stopDaemons;
  if (stopS3Daemons) stopList.add('s3 daemons (if still starting)', () => stopS3Daemons(s3DataDir));
  // An abort while the emulators start does not wait for those still starting (a synth can take a
  // minute): it stops what has started and the start rejects at once; the rest is stopped as it comes
  // up, or by this process's exit (child.ts), so a SIGKILL after a short grace finds nothing orphaned.
  // During the deploy (seconds) it waits for the deploy, then stops everything.
  let deploying = false;
  let onAbort = () => {};
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => {
      if (!deploying) void stopList.stopAll().then(() => reject(new Error('stopped while starting')));
    };
  });
  abandoned.catch(() => undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // An emulator dying under a running service is worth telling, with where its log is.
  const died = (reason: string) => emit({ type: 'warning', message: `${reason}: requests that need it will fail until a restart` });

  try {
    // cognito-local is told at start where to invoke user pool triggers, so that server binds first.
    const lambdaServer = started('lambda', () => startDeferredServer(ports.lambda, 'lambda'));
    const [signingKey, synth, webBuild, dynamodb, cognito, s3, secrets, api, edge, web, lambda, socket] = await Promise.race([
      abandoned,
      settleAll([
        timed('signing key', () => ensureSigningKey(layout.signingKey)),
        timed('synth', () => synthesize({ cacheDir: options.synthCacheDir ?? layout.cdkOut, logFile: `${layout.logs}/synth.log` })),
        timed('web build', () => buildWeb(layout.webDist)),
        started('dynamodb', async () =>
          startDynamoDbLocal({
            port: await concretePort(ports.dynamodb),
            dbPath: layout.dynamodb,
            store: options.dynamoDbStore,
            logFile: `${layout.logs}/dynamodb.log`,
            pidFile: `${layout.run}/dynamodb.pid`,
            onUnexpectedExit: died,
          }),
        ),
        started('cognito', async () =>
          startCognitoLocal({
            port: ports.cognito,
            directory: layout.cognito,
            logFile: `${layout.logs}/cognito.log`,
            pidFile: `${layout.run}/cognito.pid`,
            lambdaEndpoint: (await lambdaServer).url,
            onCode: (code) => emit({ type: 'confirmation-code', ...code }),
            onUnexpectedExit: died,
          }),
        ),
        started('s3', () => s3Implementation.start({ port: ports.s3, dataDir: s3DataDir })),
        started('secrets', () => startSecretsStandIn({ port: ports.secrets })),
        started('api', () => startDeferredServer(ports.api, 'api')),
        started('edge', () => startDeferredServer(ports.edge, 'edge')),
        started('web', () => startDeferredServer(ports.web, 'web')),
        lambdaServer,
        started('socket', () => startDeferredServer(ports.socket, 'socket')),
      ]),
    ]);

    const s3Client = s3ClientFor(s3);
    const dynamoDb = dynamoDbClientFor(dynamodb.endpoint);
    const dynamoDbStreams = dynamoDbStreamsClientFor(dynamodb.endpoint);
    const cognitoClient = cognitoClientFor(cognito.adminEndpoint);
    stopList.add('sdk clients', () => [s3Client, dynamoDb, dynamoDbStreams, cognitoClient].forEach((c) => c.destroy()));

    deploying = true;
    const deployment = await timed('deploy', () =>
      deploy({
        synth,
        layout,
        signingKey,
        clients: { s3: s3Client, dynamoDb, dynamoDbStreams, cognito: cognitoClient },
        endpoints: {
          dynamodb: dynamodb.endpoint,
          s3: s3.endpoint,
          secretsManager: secrets.endpoint,
          cognito: cognito.endpoint,
          edgeUrl: edge.url,
          lambda: lambda.url,
          credentials: s3.credentials,
        },
        issuer: cognito.issuer,
        s3Backend: s3,
        secrets,
        api,
        edge,
        web,
        webDist: webBuild.dist,
        lambda,
        socket,
        emit,
      }),
    );
    stopList.add('functions', () => deployment.stop());
    if (options.signal?.aborted) throw new Error('stopped while deploying');
    options.signal?.removeEventListener('abort', onAbort);
    cognito.enforce(deployment.userPools, cognitoClient);

    timings.total = Date.now() - began;
    const runtime: LocalRuntime = {
      apiUrl: api.url,
      webUrl: web.url,
      edgeUrl: edge.url,
      s3Endpoint: s3.endpoint,
      s3Credentials: s3.credentials,
      s3Backend,
      lambdaEndpoint: lambda.url,
      dynamodbEndpoint: dynamodb.endpoint,
      cognitoEndpoint: cognito.endpoint,
      secretsEndpoint: secrets.endpoint,
      region: LOCAL_REGION,
      ...deployment.names,
      dataDir: layout.root,
      timings,
      stop: async () => {
        emit({ type: 'stopping' });
        const t0 = Date.now();
        for (const failure of await stopList.stopAll()) {
          emit({ type: 'warning', message: `could not stop ${failure.name}: ${failure.error.message}` });
        }
        emit({ type: 'stopped', ms: Date.now() - t0 });
      },
    };
    emit({ type: 'ready', urls: readyUrls(runtime), ms: timings.total });
    return runtime;
  } catch (err) {
    await stopList.stopAll();
    throw err;
  }
}

function readyUrls(runtime: LocalRuntime): Record<string, string> {
  return {
    'Web app': runtime.webUrl,
    API: runtime.apiUrl,
    ...(runtime.pushUrl ? { 'Push (WebSocket)': runtime.pushUrl } : {}),
    'CloudFront edge': runtime.edgeUrl,
    [`S3 (${runtime.s3Backend})`]: runtime.s3Endpoint,
    DynamoDB: runtime.dynamodbEndpoint,
    Cognito: runtime.cognitoEndpoint,
    'Secrets Manager': runtime.secretsEndpoint,
    'Lambda (invoke, schedules)': runtime.lambdaEndpoint,
  };
}

/**
 * Promise.all that waits for every promise before failing: a service still starting when another
 * fails must be on the stop list before the list is stopped.
 */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
