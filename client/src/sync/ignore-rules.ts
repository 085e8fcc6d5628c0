/**
 * What lies outside this device's synced set: the rules of `.toteignore` at the sync root
 * (gitignore syntax, read by the `ignore` package) on top of defaults every user wants (system
 * clutter, editor swap and lock files), and the remote folders excluded on this device (`tote sync
 * <folder> --exclude`, kept in the folder's state). The folder's own `.tote/` is never synced, and
 * neither is `.toteignore` itself: rules are per device, as Syncthing's .stignore.
 *
 * An ignored path is neither uploaded nor downloaded, and a synced file that becomes ignored leaves
 * the synced set (the planner forgets it), so nothing that later happens to it here reaches the service.
 */
import ignore, { type Ignore } from 'ignore';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsError } from '../localfs/errors';
import { relKey } from './paths';

export const IGNORE_FILE = '.toteignore';
/** The folder of the sync's own state (database, staging, log, status). */
export const STATE_FOLDER = '.tote';

export const DEFAULT_IGNORES: readonly string[] = ['.DS_Store', 'Thumbs.db', '*.swp', '~$*', `${STATE_FOLDER}/`, `/${IGNORE_FILE}`];

/** Whether `key` is the path key `folderKey` or lies under it. */
export const withinKey = (key: string, folderKey: string): boolean => key === folderKey || key.startsWith(`${folderKey}/`);

/** Answers kept per rules object; past this many they start over (paths that came and went). */
const MAX_ANSWERS = 1_000_000;

export class IgnoreRules {
  /**
   * Answers already worked out, by path ('/' after a folder's): a scan asks about every path each
   * pass, and the planner again about each file, while the rules stay the same for many passes.
   */
  private readonly answers = new Map<string, boolean>();

  private constructor(
    private readonly rules: Ignore,
    /** The file's text, to tell whether it changed since. */
    readonly source: string,
    /** Path keys of the folders excluded on this device. */
    private readonly excluded: readonly string[],
  ) {}

  static of(fileText = '', excludedKeys: readonly string[] = []): IgnoreRules {
    return new IgnoreRules(ignore().add([...DEFAULT_IGNORES]).add(fileText), fileText, excludedKeys);
  }

  /** Rules for a root: defaults, its `.toteignore` when there is one, and the folders excluded there. */
  static async load(root: string, excludedKeys: readonly string[] = []): Promise<IgnoreRules> {
    const path = join(root, IGNORE_FILE);
    try {
      return IgnoreRules.of(await readFile(path, 'utf8'), excludedKeys);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return IgnoreRules.of('', excludedKeys);
      throw fsError(error, path);
    }
  }

  /** Whether `other` holds the same rules (the same file text and excluded folders). */
  sameAs(other: IgnoreRules): boolean {
    return other.source === this.source && other.excluded.length === this.excluded.length && other.excluded.every((key, i) => key === this.excluded[i]);
  }

  /** `rel` is '/'-separated and relative to the root; folders are asked about with `isFolder`. */
  ignores(rel: string, isFolder = false): boolean {
    const asked = isFolder ? `${rel}/` : rel;
    let answer = this.answers.get(asked);
    if (answer === undefined) {
      if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
      answer = this.decide(rel, isFolder);
      this.answers.set(asked, answer);
    }
    return answer;
  }

  private decide(rel: string, isFolder: boolean): boolean {
    if (rel === STATE_FOLDER || rel.startsWith(`${STATE_FOLDER}/`)) return true;
    if (this.excluded.length > 0) {
      const key = keyOf(rel);
      if (key !== undefined && this.excluded.some((folder) => withinKey(key, folder))) return true;
    }
    return this.rules.ignores(isFolder ? `${rel}/` : rel);
  }
}

/** A name the service refuses has no key (and cannot be inside an excluded folder's key). */
function keyOf(rel: string): string | undefined {
  try {
    return relKey(rel);
  } catch {
    return undefined;
  }
}
