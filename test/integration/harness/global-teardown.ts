/**
 * Stops the local runtime the setup started and checks it shut down cleanly (exit code 0 means every
 * emulator and worker was stopped). Its data dir is removed unless the shutdown failed, so the logs
 * stay for whoever investigates.
 */
import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.toteLocalRuntime;
  if (!started) return;
  globalThis.toteLocalRuntime = undefined;
  const code = await started.process.stop();
  if (code !== 0) {
    throw new Error(`the local runtime exited with ${code} on SIGTERM; logs in ${started.dataDir}`);
  }
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
