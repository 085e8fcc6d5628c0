/**
 * How long a small file written on device A takes to appear on device B after both have been idle
 * for a while (the first change after a pause: the case polling serves worst), with the push channel
 * and without it (polling only, today's adaptive schedule). Several A/B pairs, each its own user, run
 * at once so their idle periods overlap; their writes are staggered so no two samples share a moment.
 * Each sample is split into A's side (write -> commit answered) and B's (commit -> file on B's disk).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createToteClient, type ToteClient, type ToteEvent } from '../../client/src';
import { SyncDaemon } from '../../client/src/sync/daemon';
import { SyncEngine } from '../../client/src/sync/engine';
import { ChokidarSource } from '../../client/src/sync/watcher';
import { createUser } from '../../test/integration/harness/users';
import { fileAppears } from '../../test/integration/sync/support/daemons';
import { fixed, percentile } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

export interface PushLatencySpec {
  /** Samples per mode. */
  readonly samples: number;
  /** Pairs per mode, running at once. */
  readonly pairs: number;
  /** Idle time before each sample, seconds. */
  readonly idleSeconds: number;
}

type Mode = 'push' | 'poll';

/**
 * One sample, cut where the events of both devices say (ms; each phase starts where the one before
 * ended, so they add up to the total): A noticing, waiting for the write to settle, reading the feed,
 * scanning and hashing; A's upload requests up to its commit answered; the commit reaching B as a
 * hint (the table's stream, the notifier, the socket; in poll mode this and the next are one phase);
 * B's feed read; B's download up to the file in place.
 */
interface Sample {
  readonly totalMs: number;
  /** Write on A -> A's upload started. */
  readonly detectMs: number;
  /** A's upload started -> its commit answered. */
  readonly uploadMs: number;
  /** A's commit answered -> B heard the hint (push mode; 0 in poll mode). */
  readonly hintMs: number;
  /** The hint (poll mode: the commit) -> B's feed read brought the change. */
  readonly feedMs: number;
  /** B's feed read -> the file in place on B. */
  readonly downloadMs: number;
  /** Times A's commit was answered "pending" (the chunk tracker had yet to register the chunk). */
  readonly commitWaits: number;
  /** Whether B read the feed because of a hint (push mode) or a poll. */
  readonly wokenBy: string;
}

interface Device {
  readonly root: string;
  readonly client: ToteClient;
  readonly engine: SyncEngine;
  readonly events: { readonly at: number; readonly event: ToteEvent }[];
}

const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
/** The first file of a pair pays every cold start on a machine that may be loaded. */
const WARM_UP_LIMIT_MS = 10 * 60_000;
const SAMPLE_LIMIT_MS = 2 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openDevice(service: Service, email: string, password: string, dir: string, name: string): Promise<Device> {
  const root = join(dir, name, 'folder');
  await mkdir(root, { recursive: true });
  const events: Device['events'] = [];
  const client = await createToteClient({
    endpoint: service.target.apiUrl,
    configDir: join(dir, name, 'config'),
    stateDir: join(dir, name, 'state'),
    env: {},
    onEvent: (event) => events.push({ at: Date.now(), event }),
  });
  await client.login(email, password);
  const engine = await SyncEngine.open(client, { root, deviceName: name });
  return { root, client, engine, events };
}

interface Pair {
  readonly mode: Mode;
  readonly index: number;
  readonly a: Device;
  readonly b: Device;
  /** Stops both daemons and closes the devices. */
  close(): Promise<void>;
}

/** A user's two devices with their daemons running, once a warm-up file has gone from A to B (cold starts paid). */
async function openPair(service: Service, mode: Mode, index: number): Promise<Pair> {
  const user = await createUser(service.target);
  const dir = join(service.workDir, 'push-latency', `${mode}-${index}`);
  const [a, b] = [await openDevice(service, user.email, user.password, dir, 'A'), await openDevice(service, user.email, user.password, dir, 'B')];
  const stop = new AbortController();
  const running = [a, b].map((d) =>
    new SyncDaemon(d.engine, { source: new ChokidarSource(d.root), push: mode === 'push' ? d.client.push() : undefined }).run(stop.signal),
  );
  const close = async () => {
    stop.abort();
    await Promise.all(running);
    for (const d of [a, b]) {
      d.engine.close();
      d.client.close();
    }
  };
  try {
    await writeFile(join(a.root, 'warm-up.txt'), 'warm up');
    await fileAppears(join(b.root, 'warm-up.txt'), WARM_UP_LIMIT_MS);
  } catch (error) {
    await close();
    const last = (d: Device) => JSON.stringify(d.events.slice(-5).map((e) => e.event));
    throw new Error(`${mode} pair ${index}: ${(error as Error).message}; A's last events: ${last(a)}; B's: ${last(b)}`);
  }
  log(`${mode} pair ${index} ready`);
  return { mode, index, a, b, close };
}

/** `samples` writes on A, each after `idleSeconds` of quiet, timed until B has the file. */
async function samplePair({ mode, index, a, b }: Pair, spec: PushLatencySpec, samples: number, offsetMs: number): Promise<Sample[]> {
  const results: Sample[] = [];
  await sleep(offsetMs);
  for (let i = 0; i < samples; i++) {
    await sleep(spec.idleSeconds * 1000);
    const rel = `note-${i}.txt`;
    const seen = b.events.length;
    const seenA = a.events.length;
    const started = Date.now();
    await writeFile(join(a.root, rel), `note ${i} of pair ${mode}-${index}`);
    const arrived = await fileAppears(join(b.root, rel), SAMPLE_LIMIT_MS);
    const firstOn = (d: Device, from: number, test: (e: ToteEvent) => boolean) => d.events.slice(from).find((e) => test(e.event));
    const onPath = (e: ToteEvent) => 'remotePath' in e && e.remotePath === `/${rel}`;
    const upStarted = firstOn(a, seenA, (e) => e.type === 'upload.start' && onPath(e))?.at ?? started;
    const committed = firstOn(a, seenA, (e) => e.type === 'upload.done' && onPath(e))?.at ?? arrived;
    const hinted = mode === 'push' ? (firstOn(b, seen, (e) => e.type === 'push.hint')?.at ?? committed) : committed;
    const pull = firstOn(b, seen, (e) => e.type === 'sync.pull' && e.pulled > 0);
    const pulled = pull?.at ?? hinted;
    results.push({
      totalMs: arrived - started,
      detectMs: upStarted - started,
      uploadMs: committed - upStarted,
      hintMs: Math.max(0, hinted - committed),
      feedMs: Math.max(0, pulled - Math.max(hinted, committed)),
      downloadMs: arrived - Math.max(pulled, hinted, committed),
      commitWaits: a.events.slice(seenA).filter((e) => e.event.type === 'upload.waiting' && onPath(e.event)).length,
      wokenBy: pull?.event.type === 'sync.pull' ? pull.event.reasons.join('+') : 'unknown',
    });
    const last = results[results.length - 1];
    log(
      `${mode} pair ${index} sample ${i}: ${last.totalMs} ms = detect ${last.detectMs} + upload ${last.uploadMs} (${last.commitWaits} pending) + hint ${last.hintMs} + feed ${last.feedMs} + download ${last.downloadMs} (${last.wokenBy})`,
    );
  }
  return results;
}

const seconds = (ms: number) => fixed(ms / 1000, 2);

export async function pushLatency(service: Service, spec: PushLatencySpec): Promise<Table> {
  const perPair = Math.ceil(spec.samples / spec.pairs);
  const modes: Mode[] = ['push', 'poll'];
  const slots = modes.length * spec.pairs;
  // Writes staggered across the idle period, so samples do not contend with each other.
  const stagger = Math.floor((spec.idleSeconds * 1000) / slots);
  // Pairs are opened one after another: twenty daemons starting at once, with every cold start, is a
  // load spike that says nothing about an idle device. They are then sampled all at once.
  const pairs: Pair[] = [];
  let results: Sample[][];
  try {
    for (const mode of modes) for (let i = 0; i < spec.pairs; i++) pairs.push(await openPair(service, mode, i));
    results = await Promise.all(pairs.map((pair, slot) => samplePair(pair, spec, perPair, slot * stagger)));
  } finally {
    await Promise.all(pairs.map((pair) => pair.close()));
  }
  const byMode = new Map(modes.map((mode, m) => [mode, results.slice(m * spec.pairs, (m + 1) * spec.pairs).flat().slice(0, spec.samples)]));
  const row = (label: string, samples: readonly Sample[]) => {
    const sorted = (pick: (s: Sample) => number) => samples.map(pick).sort((x, y) => x - y);
    const total = sorted((s) => s.totalMs);
    return [
      label,
      String(samples.length),
      seconds(percentile(total, 50)),
      seconds(percentile(total, 95)),
      `${seconds(total[0])} - ${seconds(total[total.length - 1])}`,
      ...(['detectMs', 'uploadMs', 'hintMs', 'feedMs', 'downloadMs'] as const).map((phase) => seconds(percentile(sorted((s) => s[phase]), 50))),
      `${samples.filter((s) => s.commitWaits > 0).length} of ${samples.length}`,
    ];
  };
  const hinted = byMode.get('push')!.filter((s) => s.wokenBy.split('+').includes('push')).length;
  return {
    title: `A -> B latency of a small file after ${spec.idleSeconds} s idle`,
    columns: [
      'Mode',
      'Samples',
      'p50, s',
      'p95, s',
      'Range, s',
      'A: write -> upload, p50 s',
      'A: upload -> commit, p50 s',
      'commit -> hint on B, p50 s',
      'B: feed read, p50 s',
      'B: download, p50 s',
      'Commits answered pending',
    ],
    rows: [row('Push channel', byMode.get('push')!), row('Polling only (--no-push)', byMode.get('poll')!)],
    note:
      `Each sample: ${spec.idleSeconds} s with no change on either device, then a small file written on A, timed until it exists on B; ` +
      `${spec.pairs} A/B pairs per mode (each its own user, daemons with default tuning) ran at once, their writes staggered by ${fixed(stagger / 1000, 1)} s. ` +
      `B read the feed because of a hint for ${hinted} of ${byMode.get('push')!.length} push samples. ` +
      'Phases (p50 each, so they need not add up to the total): A noticing the write, letting it settle, scanning and hashing; A\'s upload requests to the commit answered ' +
      '(a commit answered "pending" waits for the chunk tracker and asks again); the commit to the hint on B (table stream, notifier, socket; none without push); ' +
      'B\'s feed read (in poll mode from the commit: the wait for the next poll); B\'s download to the file in place.',
  };
}
