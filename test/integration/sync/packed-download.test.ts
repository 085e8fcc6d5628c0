/**
 * A second device's first sync of small files that went up in a pack reads them as `tote get
 * <folder>` does: the blobs lying side by side in the pack come with one ranged GET, not one each.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fetch } from '../../../client/src/core/api/http';
import { openDevice } from '../client/devices';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { seededBytes } from '../../unit/client/support/bytes';
import { openSyncDevice, sha256, treeOf, type SyncDevice } from './support/devices';

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

let desktop: SyncDevice | undefined;
afterEach(() => desktop?.close());

test('a first sync down reads a pack of small files with one ranged GET, and places every file byte for byte', async () => {
  // Prepare: 40 small files put in one pack from a laptop
  const user = await createUser(target);
  const tree = await mkdtemp(join(tmpdir(), 'tote-packed-sync-'));
  await mkdir(join(tree, 'notes'));
  const files = new Map(Array.from({ length: 40 }, (_, i) => [`notes/n${i}.txt`, seededBytes(8100 + i, 500 + i * 37)] as const));
  for (const [rel, bytes] of files) await writeFile(join(tree, rel), bytes);
  const laptop = await openDevice(target, user, 'laptop', { packs: true });
  const put = await laptop.client.put(join(tree, 'notes'), '/');
  expect(put.failed).toEqual([]);
  await laptop.client.close();
  const storageGets: string[] = [];
  const apiOrigin = new URL(target.apiUrl).origin;
  const counting: Fetch = (input, init) => {
    if (new URL(String(input instanceof Request ? input.url : input)).origin !== apiOrigin) storageGets.push(new Headers(init?.headers).get('range') ?? 'whole');
    return fetch(input, init);
  };
  desktop = await openSyncDevice(target, user, 'desktop', {}, counting);

  // Act
  const outcome = await desktop.syncOnce();

  // Assess
  expect(outcome.failed).toBe(0);
  expect(Object.keys(await treeOf(desktop))).toEqual([...files.keys()].sort());
  for (const [rel, bytes] of files) expect(sha256(await readFile(join(desktop.root, rel)))).toBe(sha256(bytes));
  expect(storageGets).toHaveLength(1);
  expect(storageGets[0]).toMatch(/^bytes=/);
}, 60_000);
