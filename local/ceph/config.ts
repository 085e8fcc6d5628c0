import type { Layout } from './layout';

/** What a cluster is, fixed when it is created and kept in the data dir's state file. */
export interface ClusterIdentity {
  readonly fsid: string;
  readonly monPort: number;
  readonly osdUuid: string;
  /** Size of the sparse file the OSD stores objects in; disk is used only as objects are written. */
  readonly osdBlockBytes: number;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Monitor and OSD ids: a single-node cluster has one of each. */
export const MON_ID = 'a';
export const OSD_ID = 0;
/** The ceph client name radosgw runs as; its section in ceph.conf. */
export const RGW_NAME = 'client.rgw';

/**
 * ceph.conf for a one-monitor, one-OSD cluster on 127.0.0.1 with cephx off. Each setting that departs
 * from Ceph's defaults is here because a local cluster (tests, a developer's runtime) needs it; the
 * comments say why.
 */
export function renderCephConf(layout: Layout, id: ClusterIdentity): string {
  return `[global]
fsid = ${id.fsid}
mon host = v2:127.0.0.1:${id.monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
# Nothing but this machine talks to the cluster, so no cephx keys to create or distribute.
auth cluster required = none
auth service required = none
auth client required = none
# With cephx off radosgw would otherwise retry the monitor handshake for minutes before giving up on secure mode.
ms mon client mode = crc secure
# Every path inside the data dir: nothing in /etc, /var/lib or /var/run.
run dir = ${layout.runDir}
admin socket = ${layout.runDir}/$cluster-$name.asok
# startRadosgw records the pids itself (run/<daemon>.pid), so stop works from any process.
pid file =
log file = ${layout.logDir}/$name.log
crash dir = ${layout.dataDir}/crash
mon data = ${layout.monData}
osd data = ${layout.osdData}
rgw data = ${layout.rgwData}
# A single monitor commits instantly instead of batching proposals for a second.
paxos propose interval = 0.01
paxos min wait = 0.01
# One OSD: pools keep one replica, and placement chooses among OSDs, not hosts.
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
# radosgw creates about eight pools; a handful of placement groups each is plenty for one OSD.
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
# BlueStore on a sparse file: objects go to disk, not RAM, and the file grows only as they are written.
osd objectstore = bluestore
bluestore block create = true
bluestore block size = ${id.osdBlockBytes}
bluestore block db create = false
bluestore block wal create = false
# Closing the block device waits for one poll of the async I/O thread, and BlueStore opens and closes it
# about ten times while it starts: 250 ms polls made that seconds.
bdev aio poll ms = 20
# Keep the OSD's cache small: the machine is shared with compilers and other test servers.
osd memory target = 939524096
# Stopping: the OSD tells the monitor it is going, but never waits long for the answer.
osd mon shutdown timeout = 1

[${RGW_NAME}]
# 512 threads by default; a local gateway serves a handful of clients.
rgw thread pool size = 64
# An operation sent before the OSD is up is looked at again on the next objecter tick: 5 s by default,
# which was most of radosgw's start time.
objecter tick interval = 0.5
# The lifecycle thread sleeps 5 s at a time and holds up shutdown for as long; nothing here expires objects.
rgw enable lc threads = false
`;
}
