/**
 * Simulated devices for end-to-end tests: each is the real client library with its own config and
 * state folders (as two laptops would have), signed in as a test user, recording the events it emits.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToteClient, type ToteClient, type ToteClientOptions, type ToteEvent } from '../../../client/src';
import type { Target } from '../harness/target';
import type { TestUser } from '../harness/users';

export interface Device {
  readonly client: ToteClient;
  readonly configDir: string;
  readonly stateDir: string;
  readonly events: ToteEvent[];
}

/** `options` adds to the device's client options (a `fetch` through a fault proxy, say). */
export async function openDevice(target: Target, user: TestUser, name: string, options: ToteClientOptions = {}): Promise<Device> {
  const root = await mkdtemp(join(tmpdir(), `tote-device-${name}-`));
  const configDir = join(root, 'config');
  const stateDir = join(root, 'state');
  const events: ToteEvent[] = [];
  const client = await createToteClient({ endpoint: target.apiUrl, configDir, stateDir, onEvent: (e) => events.push(e), ...options });
  await client.login(user.email, user.password);
  return { client, configDir, stateDir, events };
}

/** Hashes of the chunks a device actually sent over the network, in the order it sent them. */
export const sentChunkHashes = (events: readonly ToteEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'upload.chunk' && e.outcome === 'sent' ? [e.hash] : []));
