/**
 * Emulators a killed runtime left running. Each child's PID is recorded in the data dir while it runs;
 * the next runtime on that data dir (holding its lock) ends those still alive, so a `kill -9` or a
 * crash does not leave DynamoDB Local holding the port. A PID is only trusted while its process still
 * works inside this data dir (its cwd, read from /proc): PIDs get reused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function recordPid(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, String(pid));
}

export function forgetPid(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Ends the recorded processes still running in `dataDir`; resolves the names of those it ended. */
export async function endLeftovers(runDir: string, dataDir: string): Promise<string[]> {
  if (!fs.existsSync(runDir)) return [];
  const ended: string[] = [];
  for (const name of fs.readdirSync(runDir).filter((f) => f.endsWith('.pid'))) {
    const file = path.join(runDir, name);
    const pid = Number(fs.readFileSync(file, 'utf8'));
    if (worksIn(pid, dataDir)) {
      process.kill(pid, 'SIGKILL');
      await gone(pid);
      ended.push(`${name.replace(/\.pid$/, '')} (pid ${pid})`);
    }
    forgetPid(file);
  }
  return ended;
}

function worksIn(pid: number, dataDir: string): boolean {
  try {
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    return cwd === dataDir || cwd.startsWith(dataDir + path.sep);
  } catch {
    // Gone, not ours to inspect, or no /proc (not Linux): leave it alone.
    return false;
  }
}

async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 50 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 20));
}
