import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from '../process/ports';
import { waitUntil } from '../process/wait';
import { MON_ID, OSD_ID, RGW_NAME, renderCephConf, type ClusterIdentity } from './config';
import { outputTail, recordedPid, startDaemon, stopDaemon, type Running } from './daemons';
import { cephUnavailable } from './installed';
import { DAEMONS, layoutOf, type Layout } from './layout';
import type { RadosgwConnection } from './s3-client';
import { runTool } from './tools';

/** radosgw accepts any region in a signature; clients sign with this one. */
export const RADOSGW_REGION = 'us-east-1';
/** The S3 user every cluster gets. */
const S3_USER = 'tote';
const GiB = 1024 * 1024 * 1024;

export interface RadosgwOptions {
  /** Folder holding the whole cluster. An existing cluster there is started again with its objects. */
  readonly dataDir: string;
  /** S3 port on 127.0.0.1. Default 0: a free port. */
  readonly port?: number;
  /** Capacity of the OSD's sparse block file, fixed when the cluster is created. Default 16 GiB. */
  readonly osdBlockBytes?: number;
  /** How long to wait for the S3 endpoint to answer. Default 120 s (a loaded CI machine). */
  readonly timeoutMs?: number;
}

export interface Radosgw extends RadosgwConnection {
  readonly dataDir: string;
  /** Stops radosgw, the OSD and the monitor, by the pids recorded in the data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a single-node Ceph cluster (one monitor, one BlueStore OSD, no manager) and radosgw serving
 * S3 on 127.0.0.1, creating the cluster and its S3 user on first use. Resolves once S3 answers.
 */
export async function startRadosgw(options: RadosgwOptions): Promise<Radosgw> {
  const unavailable = cephUnavailable();
  if (unavailable) throw new Error(unavailable);
  const layout = layoutOf(resolve(options.dataDir));
  const running = DAEMONS.filter((d) => recordedPid(layout, d) !== undefined);
  if (running.length > 0) throw new Error(`ceph is already running in ${layout.dataDir} (${running.join(', ')}); stop it first`);
  mkdirSync(layout.runDir, { recursive: true });
  mkdirSync(layout.logDir, { recursive: true });

  const fresh = !existsSync(layout.state);
  const id = fresh ? await newIdentity(options.osdBlockBytes ?? 16 * GiB) : readIdentity(layout);
  const port = options.port || (await freePort());
  // radosgw keeps running when its port is taken, and whatever holds the port would seem to answer.
  if (!(await portIsFree(port))) throw new Error(`port ${port} on 127.0.0.1 is in use; pick another for radosgw`);
  const endpoint = `http://127.0.0.1:${port}`;
  writeFileSync(layout.conf, renderCephConf(layout, id));

  const started: Running[] = [];
  try {
    if (fresh) await createCluster(layout, id, started);
    else started.push(startMon(layout), startOsd(layout));
    started.push(
      startDaemon(layout, 'rgw', 'radosgw', ['-f', '-n', RGW_NAME, '-c', layout.conf, '--rgw-frontends', `beast endpoint=127.0.0.1:${port}`]),
    );
    await waitForS3(endpoint, layout, started, options.timeoutMs ?? 120_000);
    if (fresh) {
      await ceph(layout, 'radosgw-admin', ['user', 'create', '--uid', S3_USER, '--display-name', 'Tote',
        '--access-key', id.accessKeyId, '--secret-key', id.secretAccessKey]);
      writeFileSync(layout.state, `${JSON.stringify(id, null, 2)}\n`);
    }
  } catch (err) {
    await stopRadosgw(layout.dataDir);
    // A half-made cluster cannot be started again; the logs stay for the post-mortem.
    if (fresh) for (const dir of [layout.monData, layout.osdData, layout.rgwData]) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint,
    region: RADOSGW_REGION,
    accessKeyId: id.accessKeyId,
    secretAccessKey: id.secretAccessKey,
    dataDir: layout.dataDir,
    stop: () => stopRadosgw(layout.dataDir),
  };
}

/** Stops whatever of the cluster in dataDir is running, radosgw first and the monitor last. */
export async function stopRadosgw(dataDir: string): Promise<void> {
  const layout = layoutOf(resolve(dataDir));
  for (const daemon of [...DAEMONS].reverse()) await stopDaemon(layout, daemon);
}

async function newIdentity(osdBlockBytes: number): Promise<ClusterIdentity> {
  return {
    fsid: randomUUID(),
    monPort: await freePort(),
    osdUuid: randomUUID(),
    osdBlockBytes,
    accessKeyId: `TOTE${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

function readIdentity(layout: Layout): ClusterIdentity {
  return JSON.parse(readFileSync(layout.state, 'utf8')) as ClusterIdentity;
}

/** First start: monitor store, OSD store (made while the monitor comes up) and the OSD's place in the map. */
async function createCluster(layout: Layout, id: ClusterIdentity, started: Running[]): Promise<void> {
  await runTool('monmaptool', ['--create', '--clobber', '--fsid', id.fsid, '--addv', MON_ID, `[v2:127.0.0.1:${id.monPort}]`, layout.monmap]);
  await ceph(layout, 'ceph-mon', ['--mkfs', '-i', MON_ID, '--monmap', layout.monmap]);
  started.push(startMon(layout));
  mkdirSync(layout.osdData, { recursive: true });
  await Promise.all([
    ceph(layout, 'ceph-osd', ['--mkfs', '-i', String(OSD_ID), '--osd-uuid', id.osdUuid, '--no-mon-config']),
    ceph(layout, 'ceph', ['--connect-timeout', '30', 'osd', 'new', id.osdUuid, String(OSD_ID)]),
  ]);
  started.push(startOsd(layout));
}

function startMon(layout: Layout): Running {
  return startDaemon(layout, 'mon', 'ceph-mon', ['-f', '-i', MON_ID, '-c', layout.conf]);
}

function startOsd(layout: Layout): Running {
  return startDaemon(layout, 'osd', 'ceph-osd', ['-f', '-i', String(OSD_ID), '-c', layout.conf]);
}

function ceph(layout: Layout, tool: string, args: readonly string[]): Promise<string> {
  return runTool(tool, ['-c', layout.conf, ...args]);
}

/** radosgw answers S3 only once the monitor, the OSD and its own pools work, so this is the one readiness check. */
function waitForS3(endpoint: string, layout: Layout, started: readonly Running[], timeoutMs: number): Promise<void> {
  return waitUntil(`radosgw on ${endpoint}`, () => answersS3(endpoint), {
    timeoutMs,
    intervalMs: 100,
    abort: () => {
      const dead = started.find((d) => d.exited());
      return dead && `${dead.daemon} exited during start; see ${layout.logDir}\n${outputTail(layout, dead.daemon)}`;
    },
  });
}

/** An anonymous ListBuckets answered the way S3 answers it. */
async function answersS3(endpoint: string): Promise<boolean> {
  const res = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
  return res.ok && (await res.text()).includes('<ListAllMyBucketsResult');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
