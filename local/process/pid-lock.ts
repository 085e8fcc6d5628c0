/**
 * One runtime per data dir: DynamoDB Local and s3rver would corrupt each other's files if two runtimes
 * shared one. The lock is a file holding the owner's PID; a lock whose PID is gone is stale and taken over.
 */
import * as fs from 'node:fs';

export function acquirePidLock(file: string): () => void {
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(fs.readFileSync(file, 'utf8'));
    if (owner !== process.pid && isAlive(owner)) {
      throw new Error(`another local runtime (pid ${owner}) is using ${file.replace(/\/[^/]+$/, '')}; stop it or set TOTE_LOCAL_DIR`);
    }
    fs.writeFileSync(file, String(process.pid));
  }
  return () => fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
