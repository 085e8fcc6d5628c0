/**
 * Changed-path scans (client/src/sync/changed-scan.ts), tried on seeded random trees and random
 * changes: a file written, edited, deleted or renamed, a folder made, deleted or renamed, a file
 * replaced by a folder, a link, an ignored file. The watcher is played by the test, which reports
 * only the top path of each change (a folder, not what is in it). Each round checks that the view
 * merged from the changed paths is exactly what a full scan finds at every path it looked at, and
 * that the plan made from it is the full scan's plan. Some rounds also make changes the "watcher"
 * misses, or start from a full pass that left deletes waiting: then, whatever the view holds, the
 * plan from it deletes nothing remotely that the pass did not look at. TOTE_CHANGED_SCAN_SEED=<n> replays a seed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blindSpots } from '../../../../client/src/sync/blind-spots';
import { LocalView, notLookedAt } from '../../../../client/src/sync/changed-scan';
import { IgnoreRules } from '../../../../client/src/sync/ignore-rules';
import { scanLocal, type LocalScan, type ScannedFile } from '../../../../client/src/sync/local-scan';
import type { LocalFile, RemoteFile, SyncedFile } from '../../../../client/src/sync/model';
import { relKey } from '../../../../client/src/sync/paths';
import { plan } from '../../../../client/src/sync/planner';
import { seededRandom } from '../../../integration/faults/support/plans';

const seed = Number(process.env.TOTE_CHANGED_SCAN_SEED ?? Math.floor(Math.random() * 1_000_000));
const ROUNDS = 25;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tote-changed-scan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const abs = (rel: string) => join(root, ...rel.split('/'));
const hashOf = (rel: string) => createHash('sha256').update(readFileSync(abs(rel))).digest('hex');

/** Every file and folder below the root, as '/'-separated relative paths. */
function tree(): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(rel === '' ? root : abs(rel), { withFileTypes: true })) {
      const at = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        folders.push(at);
        walk(at);
      } else if (entry.isFile()) files.push(at);
    }
  };
  walk('');
  return { files, folders };
}

/** One random change; answers the paths a watcher reports for it (only the top one of a folder). */
function change(random: () => number, n: number): string[] {
  const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[Math.floor(random() * items.length)]);
  const { files, folders } = tree();
  const folder = pick(['', ...folders])!;
  const inFolder = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  const file = pick(files);
  switch (Math.floor(random() * 10)) {
    case 0: {
      const rel = inFolder(`new-${n}.txt`);
      writeFileSync(abs(rel), `new ${n}`);
      return [rel];
    }
    case 1:
      if (!file) return [];
      writeFileSync(abs(file), `edited ${n} ${random()}`);
      return [file];
    case 2:
      if (!file) return [];
      rmSync(abs(file));
      return [file];
    case 3: {
      if (!file) return [];
      const to = inFolder(`moved-${n}.txt`);
      renameSync(abs(file), abs(to));
      return [file, to];
    }
    case 4: {
      const rel = inFolder(`dir-${n}`);
      mkdirSync(abs(rel));
      for (let i = 0; i < 3; i++) writeFileSync(abs(`${rel}/f${i}.txt`), `${n}/${i}`);
      return [rel];
    }
    case 5: {
      const gone = pick(folders);
      if (!gone) return [];
      rmSync(abs(gone), { recursive: true });
      return [gone];
    }
    case 6: {
      const from = pick(folders);
      if (!from || !existsSync(abs(from))) return [];
      const to = `renamed-${n}`;
      if (`${to}/`.startsWith(`${from}/`) || from.startsWith(`${to}/`)) return [];
      renameSync(abs(from), abs(to));
      return [from, to];
    }
    case 7: {
      if (!file) return [];
      rmSync(abs(file));
      mkdirSync(abs(file));
      writeFileSync(abs(`${file}/inside.txt`), `${n}`);
      return [file];
    }
    case 8: {
      const rel = inFolder(`link-${n}`);
      symlinkSync(root, abs(rel));
      return [rel];
    }
    default: {
      const rel = inFolder(`swap-${n}.swp`);
      writeFileSync(abs(rel), 'ignored');
      return [rel];
    }
  }
}

function randomTree(random: () => number): void {
  const folders = [''];
  for (let i = 0; i < 4 + Math.floor(random() * 4); i++) {
    const parent = folders[Math.floor(random() * folders.length)];
    const rel = parent === '' ? `f${i}` : `${parent}/f${i}`;
    mkdirSync(abs(rel));
    folders.push(rel);
  }
  for (let i = 0; i < 20 + Math.floor(random() * 40); i++) {
    const parent = folders[Math.floor(random() * folders.length)];
    writeFileSync(abs(parent === '' ? `file${i}.txt` : `${parent}/file${i}.txt`), `content ${i}`);
  }
}

const sortedFiles = (files: readonly ScannedFile[]) => [...files].sort((a, b) => (a.rel < b.rel ? -1 : 1)).map((f) => ({ rel: f.rel, key: f.key, identity: f.identity }));

/** The planner's input from a scan, as the engine builds it: hashes where the identity changed; everything settled. */
function planFrom(scan: LocalScan, synced: SyncedFile[], remote: RemoteFile[], rules: IgnoreRules, unseenOf?: (unseen: (rel: string) => boolean) => (rel: string) => boolean) {
  const byKey = new Map(synced.map((s) => [s.key, s]));
  const local: LocalFile[] = sortedFiles(scan.files).map((f) => {
    const s = byKey.get(f.key);
    const same = s && s.identity.inode === f.identity.inode && s.identity.mtimeNs === f.identity.mtimeNs && s.identity.ctimeNs === f.identity.ctimeNs && s.identity.size === f.identity.size;
    return same ? f : { ...f, hash: hashOf(f.rel) };
  });
  const spots = blindSpots(scan, synced, [], Number.MAX_SAFE_INTEGER, 0);
  return plan({
    synced,
    local,
    remote,
    conflictName: (rel) => `${rel}.conflict`,
    ignored: (rel) => rules.ignores(rel) || spots.replaced(rel),
    unseen: unseenOf ? unseenOf(spots.unseen) : spots.unseen,
    goneSettled: spots.goneSettled,
  });
}

describe(`changed-path scans (seed ${seed}; replay: TOTE_CHANGED_SCAN_SEED=${seed})`, () => {
  it('give what a full scan gives at every path they look at, and the same plan; a missed change is never a remote delete', async () => {
    const random = seededRandom(seed);
    const rules = IgnoreRules.of();
    let merged = 0;
    let missedRounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root);
      // Prepare: a tree synced as it is, then changes, some of which the watcher misses.
      randomTree(random);
      const view = new LocalView();
      const first = await scanLocal(root, rules);
      const synced: SyncedFile[] = first.files.map((f, i) => ({ fileId: `id-${i}`, rel: f.rel, key: f.key, revision: 1, hash: hashOf(f.rel), size: f.identity.size, identity: f.identity }));
      const remote: RemoteFile[] = synced.map(({ identity: _identity, ...s }) => ({ ...s }));
      // Some rounds start from a full pass that found synced files missing and left their delete waiting.
      const leftWaiting = random() < 0.3 ? synced.filter(() => random() < 0.2) : [];
      for (const s of leftWaiting) rmSync(abs(s.rel));
      view.full(await scanLocal(root, rules, view.known), rules);
      const reported = new Set<string>();
      const missesChanges = leftWaiting.length > 0 || random() < 0.3;
      for (let n = 0; n < 1 + Math.floor(random() * 6); n++) {
        const paths = change(random, round * 100 + n);
        if (!(missesChanges && random() < 0.5)) for (const rel of paths) reported.add(rel);
      }
      // Act
      const changed = await view.rescan(root, rules, reported);
      const full = await scanLocal(root, rules);
      // Assess
      if (changed === undefined) continue; // a link above a path, say: the engine scans everything
      merged += 1;
      const lookedAt = (files: readonly ScannedFile[]) => sortedFiles(files.filter((f) => changed.looked(f.rel)));
      expect(lookedAt(changed.scan.files)).toEqual(lookedAt(full.files));
      const unseenLookedAt = (scan: LocalScan) => scan.unseen.filter((u) => changed.looked(u.rel)).sort((a, b) => (a.rel < b.rel ? -1 : 1));
      expect(unseenLookedAt(changed.scan)).toEqual(unseenLookedAt(full));
      const partialPlan = planFrom(changed.scan, synced, remote, rules, (unseen) => notLookedAt(unseen, changed, synced));
      for (const op of partialPlan.operations) if (op.type === 'delete' && op.side === 'remote') expect(changed.looked(op.rel)).toBe(true);
      if (missesChanges) {
        missedRounds += 1;
        continue;
      }
      expect(sortedFiles(changed.scan.files)).toEqual(sortedFiles(full.files));
      expect(partialPlan).toEqual(planFrom(full, synced, remote, rules));
    }
    // The rounds are not all escapes to a full scan, and some miss changes.
    expect(merged).toBeGreaterThan(ROUNDS / 2);
    expect(missedRounds).toBeGreaterThan(0);
  });

  it('answers undefined (a full scan) before any full scan, for the ignore file, and for too many paths', async () => {
    const rules = IgnoreRules.of();
    writeFileSync(join(root, 'a.txt'), 'a');
    const view = new LocalView();
    expect(await view.rescan(root, rules, new Set(['a.txt']))).toBeUndefined();
    view.full(await scanLocal(root, rules), rules);
    expect(await view.rescan(root, rules, new Set(['.toteignore']))).toBeUndefined();
    expect(await view.rescan(root, IgnoreRules.of('*.txt'), new Set(['a.txt']))).toBeUndefined();
    expect(await view.rescan(root, rules, new Set(Array.from({ length: 1001 }, (_, i) => `f${i}`)))).toBeUndefined();
    expect(statSync(root).isDirectory()).toBe(true);
    expect(await view.rescan(root, rules, new Set(['a.txt']))).toMatchObject({ scan: { files: [{ rel: 'a.txt', key: relKey('a.txt') }] } });
  });
});
