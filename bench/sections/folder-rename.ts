/**
 * Renaming a large folder on one device until another device has it: device A renames the folder
 * on disk and runs one `tote sync --once` (which sends the rename), device B then runs one (which
 * applies it). Getting both devices to a synced folder of that many files through two first syncs
 * would take the bench longer than the rename it measures, so the files are put once (empty: a
 * rename moves names, not bytes) and each device's state is written as a first sync leaves it
 * (the remote rows from the feed, the local identities as scanned); the passes timed are the real ones.
 */
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyncEngine } from '../../client/src/sync/engine';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { countingFetch } from './small-files';
import { recordAsSynced } from './sync-small';

const FOLDER = 'before';
const RENAMED = 'after';

export async function folderRename(service: Service, count: number): Promise<Table> {
  const remoteRoot = '/bench/rename';
  const a = await syncedDevice(service, 'rename-a', remoteRoot, count, true);
  const b = await syncedDevice(service, 'rename-b', remoteRoot, count, false);
  try {
    const aBefore = a.counter.count();
    const bBefore = b.counter.count();
    const [aEvents, bEvents] = [a.events.length, b.events.length];
    const total = await timed(async () => {
      renameSync(join(a.root, FOLDER), join(a.root, RENAMED));
      const sent = await timed(() => a.engine.syncOnce());
      const applied = await timed(() => b.engine.syncOnce());
      return { sent, applied };
    });
    const there = safeCount(join(b.root, RENAMED));
    if (there !== count || safeCount(join(b.root, FOLDER)) !== 0) {
      throw new Error(`device B has ${there} of ${count} files under the new name after one pass`);
    }
    // The figures stand for folder renames only if each pass moved the folder as one operation, not file by file.
    for (const [device, events] of [[a, a.events.slice(aEvents)], [b, b.events.slice(bEvents)]] as const) {
      const ops = events.flatMap((e) => (e.type === 'sync.op' ? [`${e.op} ${e.side} ${e.outcome}`] : []));
      if (ops.length !== 1 || ops[0] !== `moveFolder ${device === a ? 'remote' : 'local'} done`) {
        throw new Error(`${device === a ? 'the renaming device' : 'the other device'} did not move the folder as one operation: ${ops.slice(0, 5).join(', ')}${ops.length > 5 ? ` and ${ops.length - 5} more` : ''}`);
      }
    }
    const { sent, applied } = total.value;
    const requests = a.counter.count() - aBefore + (b.counter.count() - bBefore);
    return {
      title: `Renaming a folder of ${count.toLocaleString('en')} files on one device until another has it`,
      columns: ['Measure', 'Value'],
      rows: [
        ['API requests by the renaming device\'s pass', String(a.counter.count() - aBefore)],
        ['API requests by the other device\'s pass', String(b.counter.count() - bBefore)],
        ['API requests in all (goal: at most 10)', String(requests)],
        ['Renaming device\'s pass, s', fixed(sent.seconds, 2)],
        ['Other device\'s pass, s', fixed(applied.seconds, 2)],
        ['From the rename on disk until the other device has it, s (goal: at most 5)', fixed(total.seconds, 2)],
      ],
      note:
        `Device A renames \`${FOLDER}/\` to \`${RENAMED}/\` on disk and runs one sync pass (SyncEngine.syncOnce, what \`tote sync --once\` runs); ` +
        'device B runs one pass right after (a daemon hears of it by the push channel first: see the push table). ' +
        'Each pass moves the folder as one operation (one POST /folders/move, then one rename of the directory; the bench fails otherwise). ' +
        'Requests count every API call of the pass, the change feed reads included. Files are empty and both states ' +
        'written as a first sync leaves them (see bench/sections/folder-rename.ts).',
    };
  } finally {
    a.engine.close();
    b.engine.close();
  }
}

/** A device whose local folder holds `count` empty files under FOLDER/, synced. `upload`: it puts them first. */
async function syncedDevice(service: Service, name: string, remoteRoot: string, count: number, upload: boolean) {
  const root = join(service.workDir, name);
  const folder = join(root, FOLDER);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(folder, `f${String(i).padStart(5, '0')}.txt`), '');
  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device(name, { fetch: counter.fetch });
  if (upload) {
    const put = await device.client.put(folder, `${remoteRoot}/${FOLDER}`);
    if (put.failed.length > 0) throw new Error(`${put.failed.length} of ${count} files failed to upload: ${put.failed[0]?.message}`);
  }
  const engine = await SyncEngine.open(device.client, { root, remoteRoot, deviceName: name });
  await engine.pull();
  const remote = engine.store.remoteFiles();
  if (remote.length !== count) throw new Error(`${name}: the feed has ${remote.length} of ${count} files`);
  recordAsSynced(engine, root, remote);
  const settled = await engine.pass();
  if (settled.done + settled.skipped + settled.failed > 0) throw new Error(`${name}: a pass over the synced folder planned work: ${JSON.stringify(settled)}`);
  return { root, engine, counter, events: device.events };
}

function safeCount(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}
