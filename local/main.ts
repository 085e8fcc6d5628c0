/**
 * `npm start`: runs the local runtime in the foreground until Ctrl-C (SIGINT) or SIGTERM, then stops
 * every emulator and worker and exits 0. Configured by environment (TOTE_LOCAL_DIR, TOTE_LOCAL_*_PORT,
 * TOTE_LOCAL_SYNTH_CACHE, TOTE_LOCAL_S3=s3rver|radosgw, TOTE_LOCAL_DYNAMODB_STORE=disk|memory); `--quiet` keeps to the essentials. Forked with an IPC channel (the integration-test harness), it also
 * sends `{ type: 'ready', runtime }` to its parent and stops when the parent goes away.
 */
import * as path from 'node:path';
import { dynamoDbStoreFromEnv, portsFromEnv, resolveDataDir, SYNTH_CACHE_ENV } from './config';
import { s3BackendFromEnv } from './emulators/s3-backend';
import { consoleHost } from './host/console-host';
import { startLocalRuntime, type LocalRuntime } from './runtime';

// The AWS SDK warns once per process about the Node version it will require next year; the runtime's
// output host is the only voice of this process, and the README states the supported Node versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.env, process.cwd());
  const host = consoleHost({ out: process.stdout, err: process.stderr });
  let stopping = false;
  const starting = new AbortController();
  let start: Promise<LocalRuntime> | undefined;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // Still starting: what has started is stopped (detached daemons among it) and the start rejects.
    // Started: the abort does nothing, and the runtime stops as usual.
    starting.abort();
    const runtime = await start?.catch(() => undefined);
    await runtime?.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown());
  process.on('disconnect', () => void shutdown());

  start = startLocalRuntime({
    dataDir,
    ports: portsFromEnv(process.env),
    quiet: process.argv.includes('--quiet'),
    onEvent: host,
    synthCacheDir: process.env[SYNTH_CACHE_ENV] ? path.resolve(process.env[SYNTH_CACHE_ENV]) : undefined,
    s3Backend: s3BackendFromEnv(process.env),
    dynamoDbStore: dynamoDbStoreFromEnv(process.env),
    signal: starting.signal,
  });
  const runtime = await start.catch((err: unknown) => {
    if (stopping) return undefined; // the shutdown under way exits
    throw err;
  });
  if (runtime && !stopping) process.send?.({ type: 'ready', runtime: { ...runtime, stop: undefined } });
}

main().catch((err: unknown) => {
  process.stderr.write(`Tote local runtime failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
