import { join } from 'node:path';

/** The daemons this cluster runs, in start order; they stop in reverse. */
export const DAEMONS = ['mon', 'osd', 'rgw'] as const;
export type Daemon = (typeof DAEMONS)[number];

/**
 * Where everything of one cluster lives. All of it sits under the data dir, so two clusters (a test's
 * and a developer's) never share a file, and deleting the folder removes every trace.
 */
export interface Layout {
  readonly dataDir: string;
  readonly conf: string;
  /** Identity of the cluster (fsid, ports, S3 keys); present once the cluster was created. */
  readonly state: string;
  readonly monmap: string;
  readonly monData: string;
  readonly osdData: string;
  readonly rgwData: string;
  /** Admin sockets and our pid files. */
  readonly runDir: string;
  readonly logDir: string;
  pidFile(daemon: Daemon): string;
  /** Where a daemon's stdout and stderr go (ceph's own log files sit beside it). */
  outFile(daemon: Daemon): string;
}

export function layoutOf(dataDir: string): Layout {
  const runDir = join(dataDir, 'run');
  const logDir = join(dataDir, 'log');
  return {
    dataDir,
    conf: join(dataDir, 'ceph.conf'),
    state: join(dataDir, 'cluster.json'),
    monmap: join(dataDir, 'monmap'),
    monData: join(dataDir, 'mon'),
    osdData: join(dataDir, 'osd'),
    rgwData: join(dataDir, 'rgw'),
    runDir,
    logDir,
    pidFile: (daemon) => join(runDir, `${daemon}.pid`),
    outFile: (daemon) => join(logDir, `${daemon}.out`),
  };
}
