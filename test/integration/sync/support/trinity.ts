/**
 * A randomized sync test in the style of Dropbox's Trinity: N devices of one account apply random
 * operations to their folders (create, edit, delete, rename, change of case, folder move) and to the
 * remote files directly (`tote mv`), sync at random moments,
 * and get killed at random points: right after an operation reached the service or the disk but
 * before its outcome was recorded (the pass simply never resumes, as in a killed process), or between
 * passes. Then every device syncs until all are quiet, and two things must hold:
 *  - every device holds the same tree;
 *  - every version any device wrote still exists somewhere (under its name or as a conflicted
 *    copy), unless a user deliberately replaced or deleted that very version on a device that held it.
 * Everything is driven by one seed: the same seed replays the same run, step by step.
 */
import { seededRandom } from '../../faults/support/plans';
import type { Target } from '../../harness/target';
import type { TestUser } from '../../harness/users';
import { moveFile, openSyncDevice, removeFile, settle, treeOf, writeText, type SyncDevice } from './devices';

export interface TrinityOptions {
  readonly seed: number;
  readonly devices: number;
  readonly steps: number;
  /** Chance that an operation's effect is the last thing a pass does before the device is killed. */
  readonly crashChance: number;
}

export interface TrinityRun {
  readonly log: string[];
  readonly trees: Record<string, Record<string, string>>;
  /** Versions that must still exist but exist nowhere. */
  readonly lost: string[];
  readonly converged: boolean;
}

const FOLDERS = ['', 'docs', 'docs/deep', 'media'];
const join = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);

export async function runTrinity(target: Target, user: TestUser, options: TrinityOptions): Promise<TrinityRun> {
  const rng = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const log: string[] = [];
  const written = new Set<string>();
  const superseded = new Set<string>();
  let counter = 0;
  let crashing = false;

  // A crash point: the pass waits forever, and the step below restarts the device from disk.
  const afterEffect = () => {
    if (!crashing && rng() < options.crashChance) {
      crashing = true;
      return new Promise<void>(() => undefined);
    }
    return undefined;
  };
  const devices: SyncDevice[] = [];
  for (let i = 0; i < options.devices; i++) devices.push(await openSyncDevice(target, user, `d${i}`, { afterEffect }));

  async function syncWithCrashes(device: SyncDevice): Promise<void> {
    crashing = false;
    let crashed!: () => void;
    const crash = new Promise<'crash'>((resolve) => (crashed = () => resolve('crash')));
    const watch = setInterval(() => crashing && crashed(), 20);
    try {
      const outcome = await Promise.race([device.syncOnce().then(() => 'ok' as const), crash]);
      if (outcome === 'crash') {
        log.push(`  ${device.name} killed mid-pass`);
        await device.restart();
      }
    } finally {
      clearInterval(watch);
      crashing = false;
    }
  }

  try {
    for (let step = 0; step < options.steps; step++) {
      const device = pick(devices);
      const tree = await treeOf(device);
      const files = Object.keys(tree);
      const folders = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.slice(0, f.lastIndexOf('/'))))];
      const roll = rng();
      const content = () => `v${++counter}-${device.name}`;
      if (roll < 0.22 || files.length === 0) {
        const rel = join(pick(FOLDERS), `f${Math.floor(rng() * 12)}.txt`);
        if (tree[rel] !== undefined) superseded.add(tree[rel]);
        const text = content();
        written.add(text);
        await writeText(device, rel, text);
        log.push(`${device.name} write ${rel} = ${text}`);
      } else if (roll < 0.4) {
        const rel = pick(files);
        superseded.add(tree[rel]);
        const text = content();
        written.add(text);
        await writeText(device, rel, text);
        log.push(`${device.name} edit ${rel} = ${text}`);
      } else if (roll < 0.5) {
        const rel = pick(files);
        superseded.add(tree[rel]);
        await removeFile(device, rel);
        log.push(`${device.name} delete ${rel}`);
      } else if (roll < 0.6) {
        const rel = pick(files);
        const to = join(pick(FOLDERS), `r${Math.floor(rng() * 12)}.txt`);
        if (tree[to] !== undefined || Object.keys(tree).some((f) => f.startsWith(`${to}/`))) continue;
        await moveFile(device, rel, to);
        log.push(`${device.name} rename ${rel} -> ${to}`);
      } else if (roll < 0.63) {
        // A change of case only: a rename too, on every system.
        const rel = pick(files);
        const name = rel.slice(rel.lastIndexOf('/') + 1);
        const flipped = name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase();
        const to = rel.slice(0, rel.length - name.length) + flipped;
        if (Object.keys(tree).some((f) => f.toLowerCase() === to.toLowerCase() && f !== rel)) continue;
        await moveFile(device, rel, to);
        log.push(`${device.name} rename ${rel} -> ${to}`);
      } else if (roll < 0.67) {
        // A rename made to the remote files directly (`tote mv`), as another program would.
        const rel = pick(files);
        const to = join(pick(FOLDERS), `m${Math.floor(rng() * 12)}.txt`);
        const outcome = await device.client.mv(`/${rel}`, `/${to}`).then(
          () => 'done',
          (error: { code?: string }) => `refused (${error.code})`,
        );
        log.push(`${device.name} remote mv /${rel} -> /${to}: ${outcome}`);
      } else if (roll < 0.71 && folders.length > 0) {
        const folder = pick(folders);
        const to = `moved${Math.floor(rng() * 5)}`;
        if (files.some((f) => f === to || f.startsWith(`${to}/`)) || to.startsWith(folder)) continue;
        await moveFile(device, folder, to);
        log.push(`${device.name} move folder ${folder} -> ${to}`);
      } else if (roll < 0.95) {
        log.push(`${device.name} sync`);
        await syncWithCrashes(device);
      } else {
        log.push(`${device.name} restart`);
        await device.restart();
      }
    }
    log.push('settle');
    let converged = true;
    crashing = true; // no more crashes while settling
    try {
      await settle(devices, 12);
    } catch {
      converged = false;
    }
    const trees: Record<string, Record<string, string>> = {};
    for (const d of devices) trees[d.name] = await treeOf(d);
    const everywhere = new Set(Object.values(trees[devices[0].name]));
    const lost = [...written].filter((v) => !superseded.has(v) && !everywhere.has(v));
    return { log, trees, lost, converged };
  } finally {
    devices.forEach((d) => d.close());
  }
}
