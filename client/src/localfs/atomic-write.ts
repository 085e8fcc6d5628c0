/**
 * Small files (config, credentials) replaced atomically: written beside the target, flushed, then
 * renamed over it, so a crash leaves the old file or the new one, never half of each.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onDisk } from './errors';

export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  await onDisk(path, async () => {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', mode);
    try {
      // The mode argument only applies when the file is created; chmod covers a leftover temp file.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  });
}
