/**
 * Runs the local runtime in a child process exactly as `npm start` does (local/main.ts under tsx), on
 * free ports and a data dir of the caller's choosing, and reads its addresses from the ready message
 * it sends over IPC. Tests then talk to it over HTTP only, like any client, and stopping it exercises
 * the same SIGTERM path as Ctrl-C.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DYNAMODB_STORE_ENV, PORT_ENV, type DynamoDbStore } from '../../../local/config';
import { S3_BACKEND_ENV, type S3BackendName } from '../../../local/emulators/s3-backend';
import type { LocalRuntime } from '../../../local/runtime';
import { TEST_SYNTH_CACHE } from '../../support/synth-cache';
import { RUNTIME_READY_MS } from './timeouts';

export type LocalRuntimeInfo = Omit<LocalRuntime, 'stop'>;

export interface RuntimeProcess {
  readonly pid: number;
  readonly info: LocalRuntimeInfo;
  readonly logFile: string;
  /** SIGTERM, then waits for the exit; resolves the exit code (0 when it shut down cleanly). */
  stop(): Promise<number | null>;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where the suite's own runtime writes its output (what `npm start` prints: confirmation codes among it). */
export const runtimeLogOf = (dataDir: string): string => path.join(dataDir, 'runtime.log');

export async function startRuntimeProcess(opts: {
  dataDir: string;
  logFile: string;
  timeoutMs?: number;
  /** Default: the S3 the suite runs on (the global setup's choice, in TOTE_LOCAL_S3). */
  s3Backend?: S3BackendName;
  /** The API's port (default: a free one), to come back at the same address a client was linked to. */
  apiPort?: number;
  /**
   * Where DynamoDB Local keeps its tables. Default memory: the data dir is thrown away after the run
   * (local/config.ts says why); a test that restarts the runtime over the same data dir asks for disk.
   */
  dynamoDbStore?: DynamoDbStore;
  /** More of the runtime's settings (TOTE_LOCAL_BATCH_BUDGET_MS, say). */
  env?: Record<string, string>;
}): Promise<RuntimeProcess> {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const child: ChildProcess = fork(path.join(REPO_ROOT, 'local', 'main.ts'), ['--quiet'], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', log, log, 'ipc'],
    env: {
      ...process.env,
      TOTE_LOCAL_DIR: opts.dataDir,
      TOTE_LOCAL_SYNTH_CACHE: TEST_SYNTH_CACHE,
      ...Object.fromEntries(Object.values(PORT_ENV).map((name) => [name, '0'])),
      ...(opts.apiPort ? { [PORT_ENV.api]: String(opts.apiPort) } : {}),
      ...(opts.s3Backend ? { [S3_BACKEND_ENV]: opts.s3Backend } : {}),
      [DYNAMODB_STORE_ENV]: opts.dynamoDbStore ?? 'memory',
      ...opts.env,
    },
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // SIGTERM lets the runtime stop its own children (a SIGKILLed runtime would orphan DynamoDB Local).
  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };

  const info = await new Promise<LocalRuntimeInfo>((resolve, reject) => {
    const limitMs = opts.timeoutMs ?? RUNTIME_READY_MS;
    const timer = setTimeout(() => reject(new Error(`local runtime not ready within ${limitMs} ms`)), limitMs);
    child.once('message', (message: { type: string; runtime: LocalRuntimeInfo }) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message.runtime);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local runtime exited with ${code} before it was ready:\n${tail(opts.logFile)}`));
    });
  }).catch(async (err: Error) => {
    await terminate();
    throw err;
  });

  return {
    pid: child.pid as number,
    info,
    logFile: opts.logFile,
    stop: terminate,
  };
}

function tail(file: string): string {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
}
