/**
 * Many small files through sync: a folder of them up by a first `tote sync --once`, and down by a
 * second device's first `tote sync --once`, against the plain S3 baseline on the same endpoint (one
 * SDK PutObject/GetObject per file, 16 in flight); and a pass with nothing to do over a large synced
 * folder, where the scan, the state database and the plan are all there is to time.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { SyncEngine } from '../../client/src/sync/engine';
import type { TreeFile } from '../../client/src/sync/model';
import { relKey } from '../../client/src/sync/paths';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { BASELINE_IN_FLIGHT, smallFilesBaseline } from './small-files-baseline';
import { countingFetch, writeSmallFiles, type SmallFiles } from './small-files';

export async function syncSmallFiles(service: Service, spec: SmallFiles, concurrency: number): Promise<Table> {
  const remoteRoot = '/bench/sync';
  const root = join(service.workDir, 'sync-up');
  writeSmallFiles(root, spec);
  const up = await firstSync(service, 'sync-up', root, remoteRoot, spec, concurrency);
  const down = await firstSync(service, 'sync-down', join(service.workDir, 'sync-down'), remoteRoot, spec, concurrency);
  const baseline = await smallFilesBaseline(service, spec, 'sync-baseline');
  const perSecond = (seconds: number) => fixed(spec.count / seconds, 0);
  return {
    title: `${spec.count.toLocaleString('en')} files of ${spec.bytes / 1024} KiB by a first \`tote sync --once\``,
    columns: ['Measure', 'Up (sync)', 'Down (second device\'s sync)', `S3 baseline up / down (${BASELINE_IN_FLIGHT} in flight)`],
    rows: [
      ['Files per second', perSecond(up.seconds), perSecond(down.seconds), `${perSecond(baseline.upSeconds)} / ${perSecond(baseline.downSeconds)}`],
      ['Time, s', fixed(up.seconds), fixed(down.seconds), `${fixed(baseline.upSeconds)} / ${fixed(baseline.downSeconds)}`],
      ['API requests', String(up.apiRequests), String(down.apiRequests), '0 / 0'],
      ['Storage requests', String(up.storageRequests), String(down.storageRequests), `${spec.count} / ${spec.count}`],
      ['Sync passes', String(up.passes), String(down.passes), '-'],
    ],
    note:
      `The sync engine's own first pass (SyncEngine.syncOnce, what \`tote sync --once\` runs) of a folder of ${spec.count / spec.perFolder} folders ` +
      `of ${spec.perFolder}, up from one device and down to a second, empty one; ${concurrency} chunk transfers in flight per file. ` +
      `Baseline: the same count and size with the SDK alone, nothing hashed, verified or flushed.`,
  };
}

async function firstSync(service: Service, name: string, root: string, remoteRoot: string, spec: SmallFiles, concurrency: number) {
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
