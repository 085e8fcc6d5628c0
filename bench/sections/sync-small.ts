/**
 * Small files through sync: a device's first `tote sync --once` of a folder (many-small.ts times it up
 * and down), and a pass with nothing to do over a large synced folder, where the scan, the state
 * database and the plan are all there is to time.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { SyncEngine } from '../../client/src/sync/engine';
import type { TreeFile } from '../../client/src/sync/model';
import { relKey } from '../../client/src/sync/paths';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { countingFetch, writeSmallFiles, type SmallFiles } from './small-files';

/** A first `tote sync --once` of `root` on a new device `name`: seconds, API and storage requests, passes. */
export async function firstSync(service: Service, name: string, root: string, remoteRoot: string, spec: SmallFiles, concurrency: number) {
  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device(name, { concurrency, fetch: counter.fetch });
  const engine = await SyncEngine.open(device.client, { root, remoteRoot, deviceName: name });
  try {
    const sync = await timed(() => engine.syncOnce());
    const synced = engine.store.syncedFiles().length;
    if (synced !== spec.count) throw new Error(`${name}: ${synced} of ${spec.count} files synced (${sync.value.failed} failed)`);
    const passes = device.events.filter((e) => e.type === 'sync.pass').length;
    return { seconds: sync.seconds, apiRequests: counter.count(), storageRequests: counter.storage(), passes };
  } finally {
    engine.close();
  }
}

/** Writes the synced rows a first sync of `files` leaves, with the local identities as they are on disk now. */
export function recordAsSynced(engine: SyncEngine, root: string, files: readonly TreeFile[]): void {
  for (const f of files) {
    const s = lstatSync(join(root, ...f.rel.split('/')), { bigint: true });
    engine.store.recordSynced({ ...f, identity: { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev } });
  }
}

/**
 * A pass with nothing to do over `spec.count` files. Syncing that many through the service would
 * take the bench most of an hour, so the folder's state is written as a sync of them leaves it (a
 * synced and a remote row per file, the local identities as scanned, the feed's cursor from now);
 * the pass itself is the real one: the feed read, the scan, the state reads, the plan.
 */
export async function noOpPass(service: Service, spec: SmallFiles, rounds: number): Promise<Table> {
  const root = join(service.workDir, 'no-op');
  writeSmallFiles(root, spec);
  const device = await service.device('no-op');
  const engine = await SyncEngine.open(device.client, { root, remoteRoot: '/bench/no-op', deviceName: 'no-op' });
  try {
    await engine.pull();
    const files = Array.from({ length: spec.count }, (_, i) => {
      const rel = `d${String(Math.floor(i / spec.perFolder)).padStart(3, '0')}/f${String(i).padStart(5, '0')}.bin`;
      return { fileId: `bench-${i}`, rel, key: relKey(rel), revision: 1, hash: `${'0'.repeat(56)}${String(i).padStart(8, '0')}`, size: spec.bytes };
    });
    engine.store.applyRemote(files.map((f) => ({ ...f, live: true })));
    recordAsSynced(engine, root, files);
    const seconds: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const pass = await timed(() => engine.pass());
      if (pass.value.done + pass.value.skipped + pass.value.failed > 0) throw new Error(`the no-op pass planned work: ${JSON.stringify(pass.value)}`);
      seconds.push(pass.seconds);
    }
    seconds.sort((a, b) => a - b);
    return {
      title: `A sync pass with nothing to do over ${spec.count.toLocaleString('en')} files`,
      columns: ['Measure', 'Value'],
      rows: [
        ['Pass, s (median)', fixed(seconds[Math.floor(seconds.length / 2)]!, 2)],
        ['Pass, s (each)', seconds.map((s) => fixed(s, 2)).join(', ')],
      ],
      note: `${spec.count / spec.perFolder} folders of ${spec.perFolder}; each pass reads the change feed once, scans the whole folder, reads the synced and remote trees and plans. State written as a sync leaves it (see bench/sections/sync-small.ts).`,
    };
  } finally {
    engine.close();
  }
}
