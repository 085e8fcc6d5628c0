/**
 * Runs one function the way Lambda does: warm workers (worker threads, each with the function's own
 * environment) reused across invocations, one invocation per worker at a time, more workers under
 * concurrent load up to a cap, and a worker that times out or crashes is thrown away (the next
 * invocation gets a cold one). A cold worker's module load is its init phase, timed apart from the
 * invocation as Lambda does: only the part of it beyond Lambda's init limit counts against the timeout.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { FunctionModel } from '../template/functions';

export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly stack?: string };

export interface FunctionPool {
  readonly fn: FunctionModel;
  invoke(event: unknown): Promise<InvokeResult>;
  stop(): Promise<void>;
}

export interface PoolOptions {
  /** Full environment of the function's workers. */
  readonly env: Readonly<Record<string, string>>;
  /** Concurrent executions; further invocations wait for a free worker, as under a concurrency limit. */
  readonly maxWorkers: number;
  readonly onLog: (stream: 'stdout' | 'stderr', line: string) => void;
}

const WORKER_FILE = path.join(__dirname, 'worker.cjs');

/** Lambda's limit on an on-demand function's init phase; an init that outlasts it runs on in the invocation's time. */
const INIT_LIMIT_MS = 10_000;

type WorkerReply =
  | { ready: true }
  | { requestId: string; ok: true; payload: string }
  | { requestId: string; ok: false; errorType: string; errorMessage: string; stack?: string };

export function createFunctionPool(fn: FunctionModel, opts: PoolOptions): FunctionPool {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  /** Settles when the worker's handler module has loaded (or failed to, or the worker died). */
  const initialized = new WeakMap<Worker, Promise<void>>();
  const waiting: Array<() => void> = [];
  let stopped = false;

  const spawn = (): Worker => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { entryFile: fn.entryFile, exportName: fn.exportName, functionName: fn.name, functionArn: fn.arn, memoryMb: fn.memoryMb },
      env: { ...opts.env },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    readline.createInterface({ input: worker.stdout }).on('line', (line) => opts.onLog('stdout', line));
    readline.createInterface({ input: worker.stderr }).on('line', (line) => opts.onLog('stderr', line));
    all.add(worker);
    initialized.set(
      worker,
      new Promise<void>((resolve) => {
        const settle = () => {
          worker.off('message', onReady).off('exit', settle);
          resolve();
        };
        const onReady = (reply: WorkerReply) => {
          if ('ready' in reply) settle();
        };
        worker.on('message', onReady).once('exit', settle);
      }),
    );
    // A worker can also die between invocations (a stray promise rejecting late): forget it, say why.
    worker.on('error', (err) => opts.onLog('stderr', `worker crashed: ${err.stack ?? err.message}`));
    worker.once('exit', () => {
      all.delete(worker);
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
    });
    return worker;
  };

  const acquire = async (): Promise<Worker> => {
    for (;;) {
      if (stopped) throw new Error(`${fn.name} is stopping`);
      const warm = idle.pop();
      if (warm) return warm;
      if (all.size < opts.maxWorkers) return spawn();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };

  const release = (worker: Worker, reusable: boolean) => {
    if (reusable && !stopped) idle.push(worker);
    else void worker.terminate();
    waiting.shift()?.();
  };

  const run = async (worker: Worker, event: unknown): Promise<{ result: InvokeResult; reusable: boolean }> => {
    let initLimit: NodeJS.Timeout | undefined;
    await Promise.race([initialized.get(worker), new Promise<void>((resolve) => (initLimit = setTimeout(resolve, INIT_LIMIT_MS)))]);
    clearTimeout(initLimit);
    return new Promise((resolve) => {
      const requestId = randomUUID();
      const timeoutMs = fn.timeoutSeconds * 1000;
      const finish = (result: InvokeResult, reusable: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve({ result, reusable });
      };
      const onMessage = (reply: WorkerReply) => {
        if ('ready' in reply || reply.requestId !== requestId) return;
        if (reply.ok) return finish({ ok: true, payload: JSON.parse(reply.payload) as unknown }, true);
        finish({ ok: false, errorType: reply.errorType, errorMessage: reply.errorMessage, stack: reply.stack }, true);
      };
      const onError = (err: Error) => finish({ ok: false, errorType: 'Runtime.ExitError', errorMessage: err.message, stack: err.stack }, false);
      const onExit = (code: number) =>
        finish({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `worker exited with code ${code}` }, false);
      const timer = setTimeout(
        () => finish({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds` }, false),
        timeoutMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ requestId, event, deadline: Date.now() + timeoutMs });
    });
  };

  return {
    fn,
    async invoke(event) {
      const worker = await acquire();
      const { result, reusable } = await run(worker, event);
      release(worker, reusable);
      if (!result.ok) {
        // What the Lambda runtime writes to the function's log when an invocation fails.
        const { errorType, errorMessage, stack } = result;
        opts.onLog('stderr', `ERROR Invoke Error ${JSON.stringify({ errorType, errorMessage, stack: stack?.split('\n') })}`);
      }
      return result;
    },
    async stop() {
      stopped = true;
      waiting.splice(0).forEach((wake) => wake());
      await Promise.all([...all].map((worker) => worker.terminate()));
    },
  };
}
