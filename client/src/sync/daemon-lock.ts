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

export class DaemonLock {
  private constructor(private readonly path: string) {}

  static async acquire(root: string): Promise<DaemonLock> {
    const path = join(root, STATE_FOLDER, 'daemon.pid');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o644);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DaemonLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, path);
      }
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new ToteError('USAGE', `already being synced by process ${holder}; stop it first (or use \`tote status\`)`, { subject: root });
      }
      await rm(path, { force: true });
    }
    throw new ToteError('LOCAL_IO', 'could not take the sync lock', { subject: path });
  }

  async release(): Promise<void> {
    const holder = Number((await readFile(this.path, 'utf8').catch(() => '')).trim());
    if (holder === process.pid) await rm(this.path, { force: true });
  }
}
