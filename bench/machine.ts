/** The machine a run was measured on, for the report: cores, memory, disk, Node, load. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly disk: string;
  readonly node: string;
  readonly load: string;
}

export function describeMachine(workDir: string): Machine {
  const df = execFileSync('df', ['-h', '--output=source,fstype,size,avail', workDir], { encoding: 'utf8' }).trim().split('\n')[1];
  const [source, fstype, size, avail] = df.trim().split(/\s+/);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    memory: `${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
    disk: `${source} (${fstype}), ${size}, ${avail} free`,
    node: process.version,
    load: loadNow(),
  };
}

export const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
