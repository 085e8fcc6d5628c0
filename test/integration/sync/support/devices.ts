/**
 * Devices for sync tests: each is a folder with its own sync state (<folder>/.tote) and its own
 * client config, signed in as one test user, driving the real sync engine against the test target.
 * A device records the events it emitted; `restart` drops the engine and opens it again from what
 * is on disk, as a daemon killed and started again would.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createToteClient, type ToteClient, type ToteEvent } from '../../../../client/src';
import type { Fetch } from '../../../../client/src/core/api/http';
import { SyncEngine, type SyncEngineOptions } from '../../../../client/src/sync/engine';
import type { Target } from '../../harness/target';
import type { TestUser } from '../../harness/users';

export type DeviceOptions = Omit<SyncEngineOptions, 'root' | 'deviceName'>;

export interface SyncDevice {
  readonly name: string;
  readonly root: string;
  readonly events: ToteEvent[];
  /** The device's client, for what a user does outside the folder (`tote mv`, `tote put`). */
  readonly client: ToteClient;
  readonly engine: SyncEngine;
  syncOnce(): ReturnType<SyncEngine['syncOnce']>;
  /** Closes the engine without any goodbye and opens it again on the same folder. */
  restart(options?: DeviceOptions): Promise<void>;
  close(): void;
}

/** `fetch`: the client's HTTP, for a test that watches the requests a device makes. */
export async function openSyncDevice(target: Target, user: TestUser, name: string, options: DeviceOptions = {}, fetch?: Fetch): Promise<SyncDevice> {
  const home = await mkdtemp(join(tmpdir(), `tote-sync-${name}-`));
  const root = join(home, 'folder');
  await mkdir(root);
  const events: ToteEvent[] = [];
  const client: ToteClient = await createToteClient({
    endpoint: target.apiUrl,
    configDir: join(home, 'config'),
    stateDir: join(home, 'state'),
    onEvent: (e) => events.push(e),
    ...(fetch ? { fetch } : {}),
  });
  await client.login(user.email, user.password);
  const open = (o: DeviceOptions) => SyncEngine.open(client, { settleMs: 0, ...o, root, deviceName: name });
  let engine = await open(options);
  return {
    name,
    root,
    events,
    client,
    get engine() {
      return engine;
    },
    syncOnce: () => engine.syncOnce(),
    async restart(next = options) {
      engine.close();
      engine = await open(next);
    },
    close() {
      engine.close();
      client.close();
    },
  };
}

// ---- the folder as a user touches it ----

const at = (device: SyncDevice, rel: string) => join(device.root, ...rel.split('/'));

export async function writeText(device: SyncDevice, rel: string, text: string | Buffer): Promise<void> {
  await mkdir(dirname(at(device, rel)), { recursive: true });
  await writeFile(at(device, rel), text);
}

export const readText = (device: SyncDevice, rel: string): Promise<string> => readFile(at(device, rel), 'utf8');

export const removeFile = (device: SyncDevice, rel: string): Promise<void> => rm(at(device, rel));

export async function moveFile(device: SyncDevice, from: string, to: string): Promise<void> {
  await mkdir(dirname(at(device, to)), { recursive: true });
  await rename(at(device, from), at(device, to));
}

/** Every file of the folder (its .tote/ left out): relative path -> content as text. */
export async function treeOf(device: SyncDevice): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(rel === '' ? device.root : at(device, rel), { withFileTypes: true });
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (child === '.tote') continue;
      if (e.isDirectory()) await walk(child);
      else tree[child] = await readText(device, child);
    }
  }
  await walk('');
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Runs every device's sync once, round after round, until a whole round changes nothing anywhere. */
export async function settle(devices: readonly SyncDevice[], maxRounds = 8): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    let activity = 0;
    for (const device of devices) {
      const before = device.events.filter((e) => e.type === 'sync.op' && e.outcome === 'done').length;
      await device.syncOnce();
      activity += device.events.filter((e) => e.type === 'sync.op' && e.outcome === 'done').length - before;
    }
    if (activity === 0) return;
  }
  throw new Error(`devices ${devices.map((d) => d.name).join(', ')} did not settle in ${maxRounds} rounds`);
}
