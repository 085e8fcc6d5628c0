/**
 * A randomized sync test in the style of Dropbox's Trinity: N devices of one account apply random
 * operations to their folders (create, edit, delete, rename, change of case, folder move) and to the
 * remote files directly (`tote mv`), sync at random moments,
 * and get killed at random points: right after an operation reached the service or the disk but
 * before its outcome was recorded (the pass simply never resumes, as in a killed process), or between
 * passes. With `selective`, devices also change what they sync: they write and remove `.toteignore`
 * rules, exclude and include folders (`tote sync --exclude`), and delete whole folders, ignored ones
 * included. At the end every device drops its rules and exclusions, all sync until quiet, and:
 *  - every device holds the same tree, and the service holds exactly that tree;
 *  - every version any device wrote still exists (under its name or as a conflicted copy), unless a
 *    user deliberately replaced or deleted that very version on a device that held it in its synced
 *    set, or held the only copy anywhere (selection-model.ts). A file a device was not syncing is
 *    never lost because of what happened to it on that device. Moving a synced file into a path the
 *    device does not sync takes it out of sync, as moving it out of the folder would: deleted
 *    elsewhere, kept in the moved copy (whose later delete is then deliberate).
 * Devices also read the feed at random moments ahead of their next pass, as a daemon does while a
 * batch of local changes settles, so passes plan with reads other devices' changes have overtaken.
 * Everything is driven by one seed: the same seed replays the same run, step by step (the selective
 * operations and the early reads draw from streams of their own, so a seed replays the same steps).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import { IGNORE_FILE } from '../../../../client/src/sync/ignore-rules';
import { describe as describeOp, type Operation } from '../../../../client/src/sync/operations';
import { editSelection } from '../../../../client/src/sync/selection';
import { seededRandom } from '../../faults/support/plans';
import type { Target } from '../../harness/target';
import type { TestUser } from '../../harness/users';
import { moveFile, openSyncDevice, removeFile, settle, treeOf, writeText, type SyncDevice } from './devices';
import { contentHashOf, DeviceSelection, serverTree } from './selection-model';

export interface TrinityOptions {
  readonly seed: number;
  readonly devices: number;
  readonly steps: number;
  /** Chance that an operation's effect is the last thing a pass does before the device is killed. */
  readonly crashChance: number;
  /** Adds ignore rules, exclusions, un-ignores and whole-folder deletes to the operations. */
  readonly selective?: boolean;
  /** Adds whole-folder renames and moves, on a device's disk and on the service (`tote mv` of a folder). */
  readonly folderMoves?: boolean;
  /** Adds to the log what the devices' passes did (each operation's effect, outcome, conflict and error), not only what users did. */
  readonly trace?: boolean;
}

export interface TrinityRun {
  readonly log: string[];
  readonly trees: Record<string, Record<string, string>>;
  /** Versions that must still exist but exist nowhere. */
  readonly lost: string[];
  readonly converged: boolean;
  /** Where the service's files differ from the devices' tree (path: what differs). */
  readonly serverDiffers: string[];
}

const FOLDERS = ['', 'docs', 'docs/deep', 'media'];
const join = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);
/** Share of steps that change what a device syncs (with `selective`), and what they pick from (folders that hold files, mostly). */
const SELECTIVE_SHARE = 0.3;
const IGNORE_PATTERNS = ['docs/', 'media/', 'docs/deep/', 'docs/', 'media/', 'f1*.txt', 'r*.txt', 'moved*/'];
/** How often a device syncs right after its rules changed or a folder went, as a running daemon would. */
const DAEMON_LIKE_SYNC = 0.5;
const EXCLUDABLE = ['docs', 'docs/deep', 'media', 'moved0', 'moved1'];
/**
 * How often a device reads the feed before its step, as a running daemon does at the first local
 * change of a batch: its next pass plans with that read, however much other devices changed since.
 */
const EARLY_READ = 0.3;
/** Share of steps that rename or move a whole folder (with `folderMoves`), and where to. */
const FOLDER_SHARE = 0.15;
const FOLDER_TARGETS = ['moved0', 'moved1', 'docs/moved2', 'media/moved3', 'album'];

export async function runTrinity(target: Target, user: TestUser, options: TrinityOptions): Promise<TrinityRun> {
  const rng = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const selRng = seededRandom(options.seed ^ 0x5e1ec7);
  const selPick = <T>(items: readonly T[]): T => items[Math.floor(selRng() * items.length)];
  const readRng = seededRandom(options.seed ^ 0xea21);
  const folderRng = seededRandom(options.seed ^ 0xf01de5);
  const folderPick = <T>(items: readonly T[]): T => items[Math.floor(folderRng() * items.length)];
  const log: string[] = [];
  const written = new Set<string>();
  const superseded = new Set<string>();
  let counter = 0;
  let crashing = false;

  // A crash point: the pass waits forever, and the step below restarts the device from disk. Once
  // killed, every other operation of that pass (they run in parallel) stops at its crash point too.
  let killed = false;
  const afterEffect = (op: Operation) => {
    if (options.trace) log.push(`    effect: ${op.type} ${op.side} ${describeOp(op)}`);
    if (killed || (!crashing && rng() < options.crashChance)) {
      crashing = true;
      killed = true;
      return new Promise<void>(() => undefined);
    }
    return undefined;
  };
  const devices: SyncDevice[] = [];
  for (let i = 0; i < options.devices; i++) devices.push(await openSyncDevice(target, user, `d${i}`, { afterEffect }));
  const selections = new Map(devices.map((d) => [d, new DeviceSelection()]));
  /** Versions each device took out of sync by moving them where it does not sync. */
  const movedOut = new Map(devices.map((d) => [d, new Set<string>()]));
  const moved = (device: SyncDevice, from: string, to: string, text: string) => {
    const selection = selections.get(device)!;
    if (!selection.outside(from) && selection.outside(to)) movedOut.get(device)!.add(text);
  };

  /**
   * A user replaced or deleted `text` at `rel` on `device`: deliberate where the device syncs that
   * path; elsewhere only if this was the last copy anywhere (a version never synced from here).
   */
  async function supersede(device: SyncDevice, rel: string, text: string): Promise<void> {
    if (!selections.get(device)!.outside(rel) || movedOut.get(device)!.has(text)) return void superseded.add(text);
    for (const d of devices) {
      const tree = await treeOf(d);
      if (Object.entries(tree).some(([at, t]) => t === text && !(d === device && at === rel))) return;
    }
    const hash = await contentHashOf(text);
    if ([...(await serverTree(device.client)).values()].includes(hash)) return;
    superseded.add(text);
  }

  /** One change to what a device syncs, or a whole folder deleted on it. */
  async function selectiveStep(device: SyncDevice, tree: Record<string, string>, files: readonly string[]): Promise<void> {
    const selection = selections.get(device)!;
    const roll = selRng();
    if (roll < 0.4) {
      if (selection.fileRules !== '' && selRng() < 0.6) {
        await rm(joinPath(device.root, IGNORE_FILE), { force: true });
        selection.fileRules = '';
        log.push(`${device.name} un-ignore (remove ${IGNORE_FILE})`);
      } else {
        const patterns = [...new Set([selPick(IGNORE_PATTERNS), ...(selRng() < 0.4 ? [selPick(IGNORE_PATTERNS)] : [])])];
        selection.fileRules = `${patterns.join('\n')}\n`;
        await writeFile(joinPath(device.root, IGNORE_FILE), selection.fileRules);
        log.push(`${device.name} ignore ${patterns.join(' ')}`);
      }
      if (selRng() < DAEMON_LIKE_SYNC) await daemonLikeSync(device);
    } else if (roll < 0.65) {
      if (selection.excluded.size > 0 && selRng() < 0.5) {
        const folder = selPick([...selection.excluded].sort());
        editSelection(device.engine.selection, '/', { include: [folder] });
        selection.excluded.delete(folder);
        log.push(`${device.name} include ${folder}`);
        return;
      }
      const folder = selPick(EXCLUDABLE);
      if ([...selection.excluded].some((e) => folder === e || folder.startsWith(`${e}/`))) return;
      editSelection(device.engine.selection, '/', { exclude: [folder] });
      for (const e of [...selection.excluded]) if (e.startsWith(`${folder}/`)) selection.excluded.delete(e);
      selection.excluded.add(folder);
      log.push(`${device.name} exclude ${folder}`);
    } else {
      // A whole folder, an ignored one most of the time when there is one.
      const folders = [...new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))].sort();
      const ignored = folders.filter((f) => selection.outside(`${f}/x`));
      const folder = ignored.length > 0 ? selPick(ignored) : folders.length > 0 && selRng() < 0.3 ? selPick(folders) : undefined;
      if (folder === undefined) return;
      for (const rel of files.filter((f) => f.startsWith(`${folder}/`))) await supersede(device, rel, tree[rel]);
      await rm(joinPath(device.root, ...folder.split('/')), { recursive: true });
      log.push(`${device.name} delete folder ${folder}${selection.outside(`${folder}/x`) ? ' (ignored here)' : ''}`);
      if (selRng() < DAEMON_LIKE_SYNC) await daemonLikeSync(device);
    }
  }

  /** A whole folder renamed or moved: on the device's disk (sent as one folder move), or on the service (applied as one rename). */
  async function folderStep(device: SyncDevice, tree: Record<string, string>, files: readonly string[], folders: readonly string[]): Promise<void> {
    const folder = folderPick(folders);
    const to = folderPick(FOLDER_TARGETS);
    if (to === folder || to.startsWith(`${folder}/`) || folder.startsWith(`${to}/`) || files.some((f) => f === to || f.startsWith(`${to}/`))) return;
    if (folderRng() < 0.5) {
      for (const rel of files.filter((f) => f.startsWith(`${folder}/`))) moved(device, rel, to + rel.slice(folder.length), tree[rel]);
      await moveFile(device, folder, to);
      log.push(`${device.name} move folder ${folder} -> ${to}`);
    } else {
      const outcome = await device.client.mvFolder(`/${folder}`, `/${to}`).then(
        () => 'done',
        (error: { code?: string }) => `refused (${error.code})`,
      );
      log.push(`${device.name} remote mv folder /${folder} -> /${to}: ${outcome}`);
    }
    if (folderRng() < DAEMON_LIKE_SYNC) await daemonLikeSync(device);
  }

  /** With `trace`: the device's sync events since `from`, as log lines. */
  function trace(device: SyncDevice, from: number): void {
    if (!options.trace) return;
    for (const e of device.events.slice(from)) {
      if (e.type === 'sync.op') log.push(`    ${device.name} ${e.op} ${e.side} ${e.path}: ${e.outcome}`);
      else if (e.type === 'sync.conflict') log.push(`    ${device.name} ${e.reason} copy: ${e.path} -> ${e.copy}`);
      else if (e.type === 'sync.error') log.push(`    ${device.name} failed: ${e.path}: ${e.code} ${e.message}`);
      else if (e.type === 'sync.pass') log.push(`    ${device.name} pass: pulled ${e.pulled}, ${e.operations} done, ${e.deferred} deferred`);
    }
  }

  async function daemonLikeSync(device: SyncDevice): Promise<void> {
    log.push(`${device.name} sync`);
    await syncWithCrashes(device);
  }

  async function syncWithCrashes(device: SyncDevice): Promise<void> {
    selections.get(device)!.seen();
    crashing = false;
    let crashed!: () => void;
    const crash = new Promise<'crash'>((resolve) => (crashed = () => resolve('crash')));
    const watch = setInterval(() => crashing && crashed(), 20);
    const seen = device.events.length;
    try {
      const outcome = await Promise.race([device.syncOnce().then(() => 'ok' as const), crash]);
      if (outcome === 'crash') {
        log.push(`  ${device.name} killed mid-pass`);
        await device.restart();
        killed = false;
      }
    } finally {
      trace(device, seen);
      clearInterval(watch);
      crashing = false;
    }
  }

  try {
    if (options.selective) {
      // Folders with files synced everywhere to begin with, so what devices stop syncing has something in it.
      for (const folder of FOLDERS) {
        for (let i = 0; i < 2; i++) {
          const text = `v${++counter}-initial`;
          written.add(text);
          await writeText(devices[0], join(folder, `f${i}.txt`), text);
        }
      }
      crashing = true; // no crashes while the starting tree spreads
      await settle(devices);
      crashing = false;
      log.push(`initial tree: ${Object.keys(await treeOf(devices[0])).join(' ')}`);
    }
    for (let step = 0; step < options.steps; step++) {
      const device = pick(devices);
      if (readRng() < EARLY_READ) {
        await device.engine.pull();
        log.push(`${device.name} reads the feed early`);
      }
      const tree = await treeOf(device);
      const files = Object.keys(tree).filter((f) => f !== IGNORE_FILE);
      const folders = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.slice(0, f.lastIndexOf('/'))))];
      if (options.folderMoves && folders.length > 0 && folderRng() < FOLDER_SHARE) {
        await folderStep(device, tree, files, folders);
        continue;
      }
      if (options.selective && selRng() < SELECTIVE_SHARE) {
        await selectiveStep(device, tree, files);
        continue;
      }
      const roll = rng();
      const content = () => `v${++counter}-${device.name}`;
      if (roll < 0.22 || files.length === 0) {
        const rel = join(pick(FOLDERS), `f${Math.floor(rng() * 12)}.txt`);
        if (tree[rel] !== undefined) await supersede(device, rel, tree[rel]);
        const text = content();
        written.add(text);
        await writeText(device, rel, text);
        log.push(`${device.name} write ${rel} = ${text}`);
      } else if (roll < 0.4) {
        const rel = pick(files);
        await supersede(device, rel, tree[rel]);
        const text = content();
        written.add(text);
        await writeText(device, rel, text);
        log.push(`${device.name} edit ${rel} = ${text}`);
      } else if (roll < 0.5) {
        const rel = pick(files);
        await supersede(device, rel, tree[rel]);
        await removeFile(device, rel);
        log.push(`${device.name} delete ${rel}`);
      } else if (roll < 0.6) {
        const rel = pick(files);
        const to = join(pick(FOLDERS), `r${Math.floor(rng() * 12)}.txt`);
        if (tree[to] !== undefined || Object.keys(tree).some((f) => f.startsWith(`${to}/`))) continue;
        moved(device, rel, to, tree[rel]);
        await moveFile(device, rel, to);
        log.push(`${device.name} rename ${rel} -> ${to}`);
      } else if (roll < 0.63) {
        // A change of case only: a rename too, on every system.
        const rel = pick(files);
        const name = rel.slice(rel.lastIndexOf('/') + 1);
        const flipped = name === name.toUpperCase() ? name.toLowerCase() : name.toUpperCase();
        const to = rel.slice(0, rel.length - name.length) + flipped;
        if (Object.keys(tree).some((f) => f.toLowerCase() === to.toLowerCase() && f !== rel)) continue;
        moved(device, rel, to, tree[rel]);
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
        for (const rel of files.filter((f) => f.startsWith(`${folder}/`))) moved(device, rel, to + rel.slice(folder.length), tree[rel]);
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
    // Every device syncs everything again: what it kept out comes back, new or as a conflicted copy.
    for (const device of devices) {
      const selection = selections.get(device)!;
      if (selection.fileRules !== '') await rm(joinPath(device.root, IGNORE_FILE), { force: true });
      if (selection.excluded.size > 0) editSelection(device.engine.selection, '/', { include: [...selection.excluded] });
      selection.fileRules = '';
      selection.excluded.clear();
    }
    log.push('settle');
    let converged = true;
    crashing = true; // no more crashes while settling
    const seen = devices.map((d) => d.events.length);
    try {
      await settle(devices, 12);
    } catch {
      converged = false;
    }
    devices.forEach((d, i) => trace(d, seen[i]));
    const trees: Record<string, Record<string, string>> = {};
    for (const d of devices) trees[d.name] = await treeOf(d);
    const everywhere = new Set(Object.values(trees[devices[0].name]));
    const lost = [...written].filter((v) => !superseded.has(v) && !everywhere.has(v));
    const serverDiffers = await differences(await serverTree(devices[0].client), trees[devices[0].name]);
    return { log, trees, lost, converged, serverDiffers };
  } finally {
    devices.forEach((d) => d.close());
  }
}

/** Where the service's files (remote path -> content hash) differ from a device's tree. */
async function differences(server: Map<string, string>, tree: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const [rel, text] of Object.entries(tree)) {
    const hash = server.get(`/${rel}`.normalize('NFC'));
    if (hash === undefined) out.push(`${rel}: not on the service`);
    else if (hash !== (await contentHashOf(text))) out.push(`${rel}: other content on the service`);
  }
  const local = new Set(Object.keys(tree).map((rel) => `/${rel}`.normalize('NFC')));
  for (const path of server.keys()) if (!local.has(path)) out.push(`${path}: only on the service`);
  return out;
}
