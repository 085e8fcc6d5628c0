/**
 * One sync process per folder: <folder>/.tote/daemon.pid holds the running one's pid. A lock whose
 * process is gone (killed, crashed) is taken over; a live one is refused with a clear message.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ToteError } from '../core/errors';
import { fsError } from '../localfs/errors';
import { STATE_FOLDER } from './ignore-rules';
import { isRunning } from './status';

const lockPath = (root: string): string => join(root, STATE_FOLDER, 'daemon.pid');

export class DaemonLock {
  private constructor(private readonly path: string) {}

  static async acquire(root: string): Promise<DaemonLock> {
    const path = lockPath(root);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o644);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DaemonLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, path);
      }
      const holder = await DaemonLock.holder(root);
      if (holder !== undefined) throw new ToteError('USAGE', `already being synced by process ${holder}; stop it first (or use \`tote status\`)`, { subject: root });
      await rm(path, { force: true });
    }
    throw new ToteError('LOCAL_IO', 'could not take the sync lock', { subject: path });
  }

  /** The live process (other than this one) syncing the folder now, if any. */
  static async holder(root: string): Promise<number | undefined> {
    const pid = Number((await readFile(lockPath(root), 'utf8').catch(() => '')).trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid) ? pid : undefined;
  }

  async release(): Promise<void> {
    const holder = Number((await readFile(this.path, 'utf8').catch(() => '')).trim());
    if (holder === process.pid) await rm(this.path, { force: true });
  }
}
