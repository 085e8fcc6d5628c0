/**
 * Sync devices with their daemons running (real file watchers, default settle), as a user's machines
 * run `tote sync`, for tests that time or watch changes travel between devices. `stop` ends every
 * daemon and closes every device the group opened.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncDaemon, type DaemonOptions } from '../../../../client/src/sync/daemon';
import { ChokidarSource } from '../../../../client/src/sync/watcher';
import type { Target } from '../../harness/target';
import type { TestUser } from '../../harness/users';
import { openSyncDevice, type SyncDevice } from './devices';

export interface RunningDaemons {
  /** Opens a device of `user` with the default (adaptive) settle and runs its daemon; `push` connects it to the push channel. */
  open(target: Target, user: TestUser, name: string, options?: { push?: boolean } & Omit<DaemonOptions, 'source' | 'push'>): Promise<SyncDevice>;
  stop(): Promise<void>;
}

export function runningDaemons(): RunningDaemons {
  const devices: SyncDevice[] = [];
  const stop = new AbortController();
  const running: Promise<void>[] = [];
  return {
    async open(target, user, name, { push = false, ...tuning } = {}) {
      const device = await openSyncDevice(target, user, name, { settleMs: undefined });
      devices.push(device);
      running.push(new SyncDaemon(device.engine, { ...tuning, source: new ChokidarSource(device.root), push: push ? device.client.push() : undefined }).run(stop.signal));
      return device;
    },
    async stop() {
      stop.abort();
      await Promise.all(running);
      devices.forEach((d) => d.close());
    },
  };
}

/** Polls (every 20 ms) until `rel` exists on `device`; resolves with the time it was seen. */
export const appears = (device: SyncDevice, rel: string, limitMs: number): Promise<number> =>
  fileAppears(join(device.root, rel), limitMs).catch(() => {
    throw new Error(`${rel} did not reach ${device.name} within ${limitMs} ms`);
  });

/** Polls (every 20 ms) until a file exists at `path`; resolves with the time it was seen. */
export async function fileAppears(path: string, limitMs: number): Promise<number> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await access(path).then(() => true, () => false)) return Date.now();
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
