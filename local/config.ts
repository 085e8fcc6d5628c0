/**
 * Where the local runtime listens and keeps its data. Defaults are fixed so the CLI finds `npm start`
 * without configuration (DEFAULT_LOCAL_ENDPOINT); every port can be moved by environment variable, and
 * tests ask for random ports so they never collide with a running `npm start`.
 */
import * as path from 'node:path';
import { DEFAULT_LOCAL_ENDPOINT } from '@contract/limits';

export interface PortConfig {
  readonly api: number;
  readonly edge: number;
  readonly s3: number;
  readonly dynamodb: number;
  readonly cognito: number;
  readonly secrets: number;
  /** The web app's distribution (the chunk distribution is `edge`). */
  readonly web: number;
  /**
   * The Lambda Invoke API (how cognito-local runs user pool triggers and the collector starts its
   * per-namespace runs) and on-demand runs of the template's schedules (npm run collect).
   */
  readonly lambda: number;
  /** The WebSocket API (push channel) and its `@connections` management API. */
  readonly socket: number;
}

export type ServiceName = keyof PortConfig;

export const DEFAULT_PORTS: PortConfig = {
  api: Number(new URL(DEFAULT_LOCAL_ENDPOINT).port),
  edge: 4081,
  s3: 4082,
  dynamodb: 4083,
  cognito: 4084,
  secrets: 4085,
  web: 4086,
  lambda: 4087,
  socket: 4088,
};

/** Environment variable that overrides each port, e.g. TOTE_LOCAL_S3_PORT=9000. */
export const PORT_ENV: Record<ServiceName, string> = {
  api: 'TOTE_LOCAL_API_PORT',
  edge: 'TOTE_LOCAL_EDGE_PORT',
  s3: 'TOTE_LOCAL_S3_PORT',
  dynamodb: 'TOTE_LOCAL_DYNAMODB_PORT',
  cognito: 'TOTE_LOCAL_COGNITO_PORT',
  secrets: 'TOTE_LOCAL_SECRETS_PORT',
  web: 'TOTE_LOCAL_WEB_PORT',
  lambda: 'TOTE_LOCAL_LAMBDA_PORT',
  socket: 'TOTE_LOCAL_SOCKET_PORT',
};

/** Port 0 means "any free port" throughout the runtime. */
export const RANDOM_PORTS: PortConfig = { api: 0, edge: 0, s3: 0, dynamodb: 0, cognito: 0, secrets: 0, web: 0, lambda: 0, socket: 0 };

/** Every service binds here and nowhere else. */
export const LOCAL_HOST = '127.0.0.1';

/** Region and account the emulated services claim to be in; any valid values work. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export const DATA_DIR_ENV = 'TOTE_LOCAL_DIR';
export const DEFAULT_DATA_DIR = '.tote-local';
/** Where synthesized assemblies are cached; default `<data dir>/cdk.out`. Test runs share one across temp data dirs. */
export const SYNTH_CACHE_ENV = 'TOTE_LOCAL_SYNTH_CACHE';

/**
 * Where DynamoDB Local keeps its tables: `disk` (the default: they outlive a restart, as `npm start`
 * users expect) or `memory`, for runtimes thrown away with their data dir (the test suite, the bench).
 * On disk DynamoDB Local syncs every item it writes; on this kind of virtual disk that is ~20 ms an
 * item (a BatchWriteItem of 1,000 items: 15-22 s, in memory 0.6-1.3 s), where AWS's DynamoDB answers
 * in milliseconds, so a throwaway runtime in memory is the nearer stand-in.
 */
export const DYNAMODB_STORE_ENV = 'TOTE_LOCAL_DYNAMODB_STORE';
export type DynamoDbStore = 'disk' | 'memory';

export function dynamoDbStoreFromEnv(env: NodeJS.ProcessEnv): DynamoDbStore {
  const raw = env[DYNAMODB_STORE_ENV];
  if (raw === undefined || raw === '' || raw === 'disk') return 'disk';
  if (raw === 'memory') return 'memory';
  throw new Error(`${DYNAMODB_STORE_ENV}=${raw} is neither disk nor memory`);
}

/**
 * Caps the batched requests' time budget (ms) in every function the runtime serves (ENV.batchBudgetMs):
 * a tiny one makes a big batch land in several rounds, as a loaded day would. Unset: Lambda's rule.
 */
export const BATCH_BUDGET_ENV = 'TOTE_LOCAL_BATCH_BUDGET_MS';

export function resolveDataDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, env[DATA_DIR_ENV] || DEFAULT_DATA_DIR);
}

/** Defaults overlaid with the environment; a malformed value throws naming the variable. */
export function portsFromEnv(env: NodeJS.ProcessEnv): PortConfig {
  const entries = (Object.keys(DEFAULT_PORTS) as ServiceName[]).map((name) => {
    const raw = env[PORT_ENV[name]];
    if (raw === undefined || raw === '') return [name, DEFAULT_PORTS[name]] as const;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new Error(`${PORT_ENV[name]}=${raw} is not a port number (0-65535)`);
    }
    return [name, port] as const;
  });
  return Object.fromEntries(entries) as unknown as PortConfig;
}

/** Sub-folders of the data dir: one per emulator, so each can be wiped on its own. */
export function dataLayout(dataDir: string) {
  return {
    root: dataDir,
    dynamodb: path.join(dataDir, 'dynamodb'),
    /** s3rver's objects. */
    s3: path.join(dataDir, 's3'),
    /** The Ceph cluster behind radosgw (objects, monitor and OSD stores, daemon logs). */
    ceph: path.join(dataDir, 'ceph'),
    cognito: path.join(dataDir, 'cognito'),
    cdkOut: path.join(dataDir, 'cdk.out'),
    /** The web app as this runtime built and published it (rebuilt at every start). */
    webDist: path.join(dataDir, 'web'),
    logs: path.join(dataDir, 'logs'),
    /** PIDs of the running emulators. */
    run: path.join(dataDir, 'run'),
    signingKey: path.join(dataDir, 'signing-key.pem'),
    state: path.join(dataDir, 'state.json'),
    lock: path.join(dataDir, 'runtime.pid'),
  } as const;
}

export type DataLayout = ReturnType<typeof dataLayout>;
