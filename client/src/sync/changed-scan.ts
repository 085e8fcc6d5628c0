/**
 * Changed-path scans: a pass woken by the watcher looks only at the paths it reported (a folder with
 * everything in it; a path gone is looked up and found gone) and merges what it found into the view
 * the last full scan left, instead of reading the whole tree again. The full scan stays for the
 * daemon's start, the periodic reconciliation, after the watcher failed, and whenever this view
 * cannot answer for certain: no full scan yet, the ignore rules or excluded folders changed, too
 * many paths, the root or the ignore file among them, or a folder above a path that is a link, not
 * a folder, or a name the service refuses (the full scan has its own rules there).
 *
 * The safety rule, by construction: a path outside what this pass looked at keeps the state the
 * last look gave it, so a file nobody looked at cannot vanish from the view. A synced file may be
 * missing from the view only because some scan saw it missing; when that scan was not this pass's
 * (a delete the last full pass left waiting to settle, a file an operation placed since), the
 * pass's `notLooked` says so and the planner treats the path as unseen, deciding nothing about it.
 * So a missing file becomes a remote delete only in a pass whose own scan found it missing.
 */
import { lstat, stat } from 'node:fs/promises';
import { fsError } from '../localfs/errors';
import { IGNORE_FILE, type IgnoreRules } from './ignore-rules';
import { scanPath, type KnownKeys, type LocalScan, type ScannedFile, type UnseenEntry } from './local-scan';
import type { SyncedFile } from './model';
import type { Operation } from './operations';
import { absolutePath, parentRel, relKey } from './paths';

/** More changed paths than this and the full scan is the cheaper and surer look. */
export const MAX_CHANGED_PATHS = 1_000;

export interface ChangedScan {
  readonly scan: LocalScan;
  /** Whether the pass's own scan looked at `rel` (a changed path, or inside a changed folder). */
  readonly looked: (rel: string) => boolean;
}

/**
 * The planner's `unseen` for a changed-path pass: also every synced file missing from the view that
 * this pass did not look at (see the safety rule above). Missing is by key, as the planner matches.
 */
export function notLookedAt(unseen: (rel: string) => boolean, changed: ChangedScan, synced: readonly SyncedFile[]): (rel: string) => boolean {
  const there = new Set(changed.scan.files.map((f) => f.rel));
  let candidates = synced.filter((s) => !there.has(s.rel) && !changed.looked(s.rel));
  if (candidates.length > 0) {
    const keys = new Set(changed.scan.files.map((f) => f.key));
    candidates = candidates.filter((s) => !keys.has(s.key));
  }
  if (candidates.length === 0) return unseen;
  const frozen = new Set(candidates.map((s) => s.rel));
  return (rel) => frozen.has(rel) || unseen(rel);
}

/** The local paths an operation touches: the next changed-path pass looks at them again. */
export function pathsOf(op: Operation): string[] {
  if (op.type === 'move') return [op.from, op.to];
  if (op.type === 'record') return [op.record.rel];
  return 'rel' in op ? [op.rel] : [];
}

/** `rel` and the folders above it, innermost first (without the root). */
function* selfAndAncestors(rel: string): Generator<string> {
  for (let at = rel; at !== ''; at = parentRel(at)) yield at;
}

const changeTimeOf = (s: { mtimeNs: bigint; ctimeNs: bigint }) => Number((s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs) / 1_000_000n);

export class LocalView {
  private files = new Map<string, ScannedFile>();
  private unseen = new Map<string, UnseenEntry>();
  private folders = new Map<string, number>();
  /** The rules the view was scanned with; undefined before the first full scan. */
  private rules?: IgnoreRules;

  /** The key the view holds for `rel` (reused by the next scan). */
  readonly known: KnownKeys = (rel) => this.files.get(rel)?.key;

  /** The view becomes what a full scan found. */
  full(scan: LocalScan, rules: IgnoreRules): LocalScan {
    this.files = new Map(scan.files.map((f) => [f.rel, f]));
    this.unseen = new Map(scan.unseen.map((u) => [u.rel, u]));
    this.folders = new Map(scan.folders);
    this.rules = rules;
    return scan;
  }

  /** Looks at `paths` only; undefined when only a full scan can answer for certain (see above). */
  async rescan(root: string, rules: IgnoreRules, paths: ReadonlySet<string>): Promise<ChangedScan | undefined> {
    if (this.rules !== rules || paths.size > MAX_CHANGED_PATHS) return undefined;
    if ([...paths].some((rel) => rel === '' || rel === IGNORE_FILE || rel.startsWith('../') || rel.startsWith('/'))) return undefined;
    // Innermost changed folders are covered by an outer one: each subtree is scanned once.
    const changed = new Set([...paths].filter((rel) => ![...selfAndAncestors(parentRel(rel))].some((at) => paths.has(at))));
    const part: LocalScan = { files: [], warnings: [], unseen: [], folders: new Map() };
    const rootStat = await stat(root, { bigint: true }).catch((error: unknown) => {
      throw fsError(error, root);
    });
    part.folders.set('', changeTimeOf(rootStat));
    for (const rel of [...changed].sort()) {
      const above = await this.lookAbove(root, rel, rules, part);
      if (above === 'uncertain') return undefined;
      if (above === 'there') await scanPath(root, rel, rules, part, this.known);
    }
    const looked = (rel: string) => {
      for (const at of selfAndAncestors(rel)) if (changed.has(at)) return true;
      return false;
    };
    for (const map of [this.files, this.unseen, this.folders] as Map<string, unknown>[]) for (const rel of map.keys()) if (looked(rel)) map.delete(rel);
    for (const f of part.files) this.files.set(f.rel, f);
    for (const u of part.unseen) this.unseen.set(u.rel, u);
    for (const [rel, at] of part.folders) this.folders.set(rel, at);
    const scan = { files: [...this.files.values()], warnings: part.warnings, unseen: [...this.unseen.values()], folders: new Map(this.folders) };
    return { scan, looked };
  }

  /**
   * The folders above `rel`, outermost first: 'gone' when one is (so is `rel`, and everything the view
   * held under it), 'ignored' when the rules leave one out, 'uncertain' when one is not a plain folder
   * of a name the service takes, else 'there' (their change times noted, as a full scan notes them).
   */
  private async lookAbove(root: string, rel: string, rules: IgnoreRules, part: LocalScan): Promise<'there' | 'gone' | 'ignored' | 'uncertain'> {
    const folders = [...selfAndAncestors(parentRel(rel))].reverse();
    for (const folder of folders) {
      if (rules.ignores(folder, true)) return 'ignored';
      if (this.unseen.has(folder)) return 'uncertain';
      try {
        relKey(folder);
      } catch {
        return 'uncertain';
      }
      try {
        const s = await lstat(absolutePath(root, folder), { bigint: true });
        if (!s.isDirectory()) return s.isSymbolicLink() || !s.isFile() ? 'uncertain' : 'gone';
        part.folders.set(folder, changeTimeOf(s));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return 'gone';
        return 'uncertain';
      }
    }
    return 'there';
  }
}
