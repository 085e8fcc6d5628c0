/**
 * The daemon's schedule with and without the push channel, on fake timers: a hint reads the feed at
 * once, polls slow down to pushPollMs while the channel is up, the channel going down restarts the
 * adaptive schedule at its quick end, coming up reads the feed, a hint during a read is not lost, and
 * a batch of local changes has the feed read at its first change and its pass plans with that read.
 */
import type { WakeReason } from '../../../../client/src/events';
import { DEFAULT_DAEMON_TUNING, SyncDaemon, type PushSignal } from '../../../../client/src/sync/daemon';
import type { SyncEngine } from '../../../../client/src/sync/engine';

jest.mock('../../../../client/src/sync/status', () => ({
  ...jest.requireActual('../../../../client/src/sync/status'),
  writeStatus: jest.fn(async () => undefined),
}));

const SECOND = 1_000;

class FakePush implements PushSignal {
  connected: boolean;
  private listener?: { hint(): void; state(connected: boolean): void };

  constructor(connected: boolean) {
    this.connected = connected;
  }

  subscribe(listener: { hint(): void; state(connected: boolean): void }) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }

  hint() {
    this.listener?.hint();
  }

  set(connected: boolean) {
    this.connected = connected;
    this.listener?.state(connected);
  }
}

/** An engine that records each feed read (when, and why the daemon woke) and each pass, and has nothing to do. */
function fakeEngine() {
  const pulls: { at: number; reasons: readonly WakeReason[] }[] = [];
  const passes: number[] = [];
  let gate: Promise<void> | undefined;
  /** Another tote process edited the selection (`tote sync --include`), and no pass has planned with it yet. */
  let selectionEdited = false;
  const engine = {
    root: '/nowhere',
    remoteRoot: '/',
    failures: new Map(),
    // As the real engine: a selection edit counts as one change awaiting a pass.
    pull: async () => {
      await gate;
      return selectionEdited ? 1 : 0;
    },
    selectionChanged: () => selectionEdited,
    pass: async () => {
      passes.push(Date.now());
      selectionEdited = false;
      return { pulled: 0, done: 0, skipped: 0, failed: 0, deferred: [] };
    },
    reportPull: (reasons: readonly WakeReason[]) => pulls.push({ at: Date.now(), reasons }),
    reportStatus: () => undefined,
    warn: () => undefined,
  };
  return {
    engine: engine as unknown as SyncEngine,
    pulls,
    passes,
    editSelection: () => (selectionEdited = true),
    /** Holds every feed read until the returned function is called. */
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

/** A file watcher the test speaks for: `change(rel)` is a watcher event. */
function fakeSource() {
  let onChange: (rel: string) => void = () => undefined;
  return {
    start: async (listener: (rel: string) => void) => {
      onChange = listener;
    },
    close: async () => undefined,
    change: (rel: string) => onChange(rel),
  };
}

function run(push?: FakePush) {
  const fake = fakeEngine();
  const source = fakeSource();
  const stop = new AbortController();
  const started = Date.now();
  const done = new SyncDaemon(fake.engine, { source, push }).run(stop.signal);
  const since = () => fake.pulls.map((p) => ({ at: p.at - started, reasons: p.reasons }));
  const passesSince = () => fake.passes.map((at) => at - started);
  return { ...fake, since, passesSince, change: source.change, stop: async () => (stop.abort(), await jest.advanceTimersByTimeAsync(0), await done) };
}

/** A daemon whose push channel has been up for a minute with nothing happening. */
async function upForAMinute() {
  const push = new FakePush(true);
  const daemon = run(push);
  await jest.advanceTimersByTimeAsync(60 * SECOND);
  return { push, daemon };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('SyncDaemon with the push channel', () => {
  it('while the channel is up, reads the feed at once on a hint and polls only every pushPollMs', async () => {
    // Prepare
    const push = new FakePush(true);
    const daemon = run(push);
    await jest.advanceTimersByTimeAsync(2 * 60 * SECOND);
    // Act
    push.hint();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(DEFAULT_DAEMON_TUNING.pushPollMs);
    // Assess
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 2 * 60 * SECOND, reasons: ['push'] },
      { at: 2 * 60 * SECOND + DEFAULT_DAEMON_TUNING.pushPollMs, reasons: ['poll'] },
    ]);
    await daemon.stop();
  });

  it('while the channel is up, a selection edit by another tote process wakes it within a second, not at the next poll', async () => {
    // Prepare
    const push = new FakePush(true);
    const daemon = run(push);
    await jest.advanceTimersByTimeAsync(60 * SECOND);
    // Act
    daemon.editSelection();
    await jest.advanceTimersByTimeAsync(SECOND);
    await jest.advanceTimersByTimeAsync(10 * SECOND);
    // Assess: one wake for the edit, and none after its pass planned with it
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 61 * SECOND, reasons: ['local'] },
    ]);
    await daemon.stop();
  });

  it('without the channel, polls quickly at first and backs off to pollMaxMs', async () => {
    // Prepare
    const daemon = run();
    // Act
    await jest.advanceTimersByTimeAsync(2 * 60 * SECOND);
    // Assess
    const gaps = daemon.since().slice(1).map((p, i) => p.at - daemon.since()[i].at);
    expect(gaps.slice(0, 10)).toEqual(Array(10).fill(DEFAULT_DAEMON_TUNING.pollMinMs));
    expect(gaps.slice(10, 14)).toEqual([2, 4, 8, 16].map((s) => s * SECOND));
    expect(gaps.slice(14)).toEqual(gaps.slice(14).map(() => DEFAULT_DAEMON_TUNING.pollMaxMs));
    expect(daemon.since().slice(1).every((p) => p.reasons.join() === 'poll')).toBe(true);
    await daemon.stop();
  });

  it('reads the feed when the channel goes down and polls quickly again; reads it again when the channel is back', async () => {
    // Prepare
    const push = new FakePush(true);
    const daemon = run(push);
    await jest.advanceTimersByTimeAsync(60 * SECOND);
    // Act
    push.set(false);
    await jest.advanceTimersByTimeAsync(2.5 * SECOND);
    push.set(true);
    await jest.advanceTimersByTimeAsync(60 * SECOND);
    // Assess
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 60 * SECOND, reasons: ['push-down'] },
      { at: 61 * SECOND, reasons: ['poll'] },
      { at: 62 * SECOND, reasons: ['poll'] },
      { at: 62.5 * SECOND, reasons: ['push-up'] },
    ]);
    await daemon.stop();
  });

  it('reads the feed at the first local change of a batch, while it settles, and the pass after the batch plans with that read', async () => {
    // Prepare
    const { daemon } = await upForAMinute();
    const quiet = DEFAULT_DAEMON_TUNING.quietMs;
    // Act: a save (a burst of events), then another change once the first has been synced
    daemon.change('a.txt');
    await jest.advanceTimersByTimeAsync(100);
    daemon.change('a.txt');
    await jest.advanceTimersByTimeAsync(quiet);
    await jest.advanceTimersByTimeAsync(10 * SECOND);
    daemon.change('b.txt');
    await jest.advanceTimersByTimeAsync(quiet);
    // Assess: one read per batch, at its first event; each batch's pass came once it was quiet, with no read of its own
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 60 * SECOND, reasons: ['watch'] },
      { at: 70.1 * SECOND + quiet, reasons: ['watch'] },
    ]);
    expect(daemon.passesSince()).toEqual([0, 60.1 * SECOND + quiet, 70.1 * SECOND + 2 * quiet]);
    await daemon.stop();
  });

  it('reads the feed at once for a hint that lands while a batch settles, and the batch\'s pass plans with that read', async () => {
    // Prepare
    const { push, daemon } = await upForAMinute();
    const quiet = DEFAULT_DAEMON_TUNING.quietMs;
    // Act: a hint lands while the batch settles
    daemon.change('a.txt');
    await jest.advanceTimersByTimeAsync(100);
    push.hint();
    await jest.advanceTimersByTimeAsync(quiet);
    // Assess: the hint's read came after the batch began, so the batch's pass needs none
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 60 * SECOND, reasons: ['watch'] },
      { at: 60.1 * SECOND, reasons: ['push'] },
    ]);
    expect(daemon.passesSince()).toEqual([0, 60 * SECOND + quiet]);
    await daemon.stop();
  });

  it('does not lose a hint that arrives while the feed is being read', async () => {
    // Prepare
    const push = new FakePush(true);
    const daemon = run(push);
    await jest.advanceTimersByTimeAsync(10 * SECOND);
    const release = daemon.hold();
    push.hint();
    await jest.advanceTimersByTimeAsync(0);
    // Act
    push.hint();
    release();
    await jest.advanceTimersByTimeAsync(0);
    // Assess
    expect(daemon.since()).toEqual([
      { at: 0, reasons: ['start'] },
      { at: 10 * SECOND, reasons: ['push'] },
      { at: 10 * SECOND, reasons: ['push'] },
    ]);
    await daemon.stop();
  });
});
