/**
 * What the sync leaves alone: the rules of `.toteignore` at the sync root (gitignore syntax, read
 * by the `ignore` package) on top of defaults every user wants (system clutter, editor swap and lock
 * files). The folder's own `.tote/` is never synced, whatever the rules say. The rules apply to both
 * sides: an ignored name is neither uploaded nor downloaded.
 */
import ignore, { type Ignore } from 'ignore';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsError } from '../localfs/errors';

export const IGNORE_FILE = '.toteignore';
/** The folder of the sync's own state (database, staging, log, status). */
export const STATE_FOLDER = '.tote';

export const DEFAULT_IGNORES: readonly string[] = ['.DS_Store', 'Thumbs.db', '*.swp', '~$*', `${STATE_FOLDER}/`];

export class IgnoreRules {
  private constructor(
    private readonly rules: Ignore,
    /** The file's text, to tell whether it changed since. */
    readonly source: string,
  ) {}

  static of(fileText = ''): IgnoreRules {
    return new IgnoreRules(ignore().add([...DEFAULT_IGNORES]).add(fileText), fileText);
  }

  /** Rules for a root: defaults plus its `.toteignore`, when there is one. */
  static async load(root: string): Promise<IgnoreRules> {
    const path = join(root, IGNORE_FILE);
    try {
      return IgnoreRules.of(await readFile(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return IgnoreRules.of();
      throw fsError(error, path);
    }
  }

  /** `rel` is '/'-separated and relative to the root; folders are asked about with `isFolder`. */
  ignores(rel: string, isFolder = false): boolean {
    if (rel === STATE_FOLDER || rel.startsWith(`${STATE_FOLDER}/`)) return true;
    return this.rules.ignores(isFolder ? `${rel}/` : rel);
  }
}
