/**
 * The parallel schedule of a plan (client/src/sync/schedule.ts), tried on seeded random operation
 * sets over a small tree of colliding names (same path, parent and child, names equal but for case
 * or Unicode form, shared file ids). TOTE_SCHEDULE_SEED=<n> replays a seed. Every run checks, with
 * a conflict rule written independently of the scheduler's: no two conflicting operations overlap;
 * phases run in order; conflicting operations of a phase run in plan order, and one runs only after
 * those it conflicts with were done; every operation free to run does run; the bound of each pool
 * (the batched transfers' and the others') holds.
 */
import type { FileIdentity } from '../../../../client/src/localfs/identity';
import type { Operation } from '../../../../client/src/sync/operations';
import { relKey } from '../../../../client/src/sync/paths';
import { PHASES, phaseOf, runSchedule, schedule, type Outcome } from '../../../../client/src/sync/schedule';
import { seededRandom } from '../../../integration/faults/support/plans';

const PATHS = ['a', 'A', 'a/b', 'a/B', 'a/b/c', 'd', 'd/e', 'caf\u00e9', 'cafe\u0301', 'f/g', 'F/g/h', 'x'];
const FILE_IDS = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
const IDENTITY: FileIdentity = { size: 1, mtimeNs: 1n, ctimeNs: 1n, inode: 1n, device: 1n };

function randomOperation(rng: () => number): Operation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const rel = pick(PATHS);
  const fileId = pick(FILE_IDS);
  const record = { fileId, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1 };
  const local = { identity: IDENTITY };
  const file = { ...record };
  const kinds: (() => Operation)[] = [
    () => ({ type: 'add', side: 'remote', rel, local, ...(rng() < 0.3 ? { replaces: fileId } : {}) }),
    () => ({ type: 'edit', side: 'remote', fileId, rel, local, expectedRevision: 1 }),
    () => ({ type: 'delete', side: 'remote', fileId, rel, expectedRevision: 1 }),
    () => ({ type: 'move', side: 'remote', fileId, from: rel, to: pick(PATHS), expectedRevision: 1, record, local }),
    () => ({ type: 'add', side: 'local', rel, file, record }),
    () => ({ type: 'edit', side: 'local', rel, file, record, local }),
    () => ({ type: 'delete', side: 'local', rel, fileId, local }),
    () => ({ type: 'move', side: 'local', from: rel, to: pick(PATHS), local, reason: 'conflict', ...(rng() < 0.5 ? { record } : { forget: fileId }) }),
    () => ({ type: 'record', side: 'synced', record, identity: IDENTITY }),
    () => ({ type: 'forget', side: 'synced', fileId }),
  ];
  return pick(kinds)();
}

/** The conflict rule, spelled out: a shared path key, a path inside another, or a shared file id. */
function touches(op: Operation): { keys: string[]; ids: string[] } {
  const o = op as Partial<Record<'rel' | 'from' | 'to' | 'fileId' | 'replaces' | 'forget', string>> & { record?: { rel: string; fileId: string }; file?: { fileId: string } };
  const rels = op.type === 'move' ? [o.from!, o.to!] : op.type === 'record' ? [o.record!.rel] : op.type === 'forget' ? [] : [o.rel!];
  const ids = [o.fileId, o.replaces, o.forget, o.record?.fileId, o.file?.fileId].filter((id): id is string => id !== undefined);
  return { keys: rels.map(relKey), ids };
}

function conflict(a: Operation, b: Operation): boolean {
  const x = touches(a);
  const y = touches(b);
  const nested = (k: string, l: string) => k === l || k.startsWith(`${l}/`) || l.startsWith(`${k}/`);
  return x.ids.some((id) => y.ids.includes(id)) || x.keys.some((k) => y.keys.some((l) => nested(k, l)));
}

const seed = Number(process.env.TOTE_SCHEDULE_SEED ?? Math.floor(Math.random() * 1_000_000));

describe(`the parallel schedule of a plan (seed ${seed}; replay: TOTE_SCHEDULE_SEED=${seed})`, () => {
  test('random operation sets: no conflicting overlap, phases in order, plan order kept, nothing free left out, pool bound held', async () => {
    // Prepare
    const rng = seededRandom(seed);
    for (let round = 0; round < 150; round++) {
      const operations = Array.from({ length: 1 + Math.floor(rng() * 40) }, () => randomOperation(rng));
      const concurrency = 1 + Math.floor(rng() * 6);
      const batchConcurrency = 1 + Math.floor(rng() * 20);
      const running = new Set<number>();
      const events: { index: number; start: number; end?: number }[] = [];
      const problems: string[] = [];
      let clock = 0;
      let heavyRunning = 0;
      const heavy = (op: Operation) => op.type === 'edit';
      // As sync's small transfers: a pool of their own, besides the others'.
      const batched = (op: Operation) => op.type === 'add';
      const inPool = (op: Operation) => [...running].filter((i) => batched(scheduled[i]!.op) === batched(op)).length;
      const scheduled = schedule(operations);
      const drawn = scheduled.map((): Outcome => (rng() < 0.8 ? 'done' : rng() < 0.5 ? 'skipped' : 'failed'));
      const delays = scheduled.map(() => Math.floor(rng() * 4));
      const indexOf = new Map(scheduled.map((s, i) => [s.op, i]));

      // Act
      const outcomes = await runSchedule(scheduled, {
        concurrency,
        heavy,
        batched: { is: batched, concurrency: batchConcurrency },
        run: async (op) => {
          const index = indexOf.get(op)!;
          for (const other of running) if (conflict(op, scheduled[other]!.op)) problems.push(`round ${round}: ${index} overlaps ${other}`);
          const bound = batched(op) ? batchConcurrency : concurrency;
          if (inPool(op) >= bound) problems.push(`round ${round}: more than ${bound} in flight in ${batched(op) ? 'the batched' : 'the'} pool`);
          if (heavy(op) && heavyRunning > 0) problems.push(`round ${round}: two heavy operations at once`);
          running.add(index);
          if (heavy(op)) heavyRunning++;
          const event: { index: number; start: number; end?: number } = { index, start: clock++ };
          events.push(event);
          for (let i = 0; i < delays[index]!; i++) await new Promise((r) => setImmediate(r));
          running.delete(index);
          if (heavy(op)) heavyRunning--;
          event.end = clock++;
          return drawn[index]!;
        },
      });

      // Assess
      const ran = new Map(events.map((e) => [e.index, e]));
      for (const [i, s] of scheduled.entries()) {
        const mine = ran.get(i);
        for (let j = 0; j < i; j++) {
          const earlier = scheduled[j]!;
          const theirs = ran.get(j);
          if (mine && theirs && PHASES.indexOf(earlier.phase) < PHASES.indexOf(s.phase) && theirs.end! > mine.start) problems.push(`round ${round}: ${i} (${s.phase}) started before ${j} (${earlier.phase}) ended`);
          if (!conflict(s.op, earlier.op)) continue;
          if (mine && theirs && theirs.end! > mine.start) problems.push(`round ${round}: ${i} started before the conflicting earlier ${j} ended`);
          if (mine && outcomes[j] !== 'done') problems.push(`round ${round}: ${i} ran though the conflicting earlier ${j} was ${outcomes[j]}`);
        }
        const free = s.after.every((j) => outcomes[j] === 'done');
        if (free !== (mine !== undefined)) problems.push(`round ${round}: ${i} ${mine ? 'ran though blocked' : 'never ran though free'}`);
        if (outcomes[i] !== (mine ? drawn[i] : 'skipped')) problems.push(`round ${round}: ${i} reported ${outcomes[i]}`);
      }
      expect(scheduled.map((s) => s.phase)).toEqual([...scheduled.map((s) => s.phase)].sort((a, b) => PHASES.indexOf(a) - PHASES.indexOf(b)));
      expect(new Set(scheduled.map((s) => s.op)).size).toBe(operations.length);
      expect(scheduled.every((s) => operations.includes(s.op))).toBe(true);
      expect(problems).toEqual([]);
    }
  });

  test('phases: local arrangements and remote moves first, transfers next, remote deletes last', () => {
    // Prepare
    const rng = seededRandom(seed);
    const operations = Array.from({ length: 200 }, () => randomOperation(rng));

    // Act
    const phases = new Map(operations.map((op) => [`${op.side} ${op.type}`, phaseOf(op)]));

    // Assess
    expect(Object.fromEntries([...phases].sort())).toEqual({
      'local add': 'transfer',
      'local delete': 'arrange',
      'local edit': 'transfer',
      'local move': 'arrange',
      'remote add': 'transfer',
      'remote delete': 'delete',
      'remote edit': 'transfer',
      'remote move': 'arrange',
      'synced forget': 'arrange',
      'synced record': 'arrange',
    });
  });

  test('an error stops the run: nothing starts after it, those running finish, and it is thrown', async () => {
    // Prepare
    const operations = PATHS.map((rel): Operation => ({ type: 'add', side: 'local', rel, file: { fileId: rel, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1 }, record: { fileId: rel, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1 } }));
    const started: string[] = [];
    let finished = 0;

    // Act
    const run = runSchedule(schedule(operations), {
      concurrency: 2,
      run: async (op) => {
        started.push(op.type === 'add' ? op.rel : '');
        await new Promise((r) => setImmediate(r));
        finished++;
        if (started.length === 3) throw new Error('network down');
        return 'done';
      },
    });

    // Assess
    await expect(run).rejects.toThrow('network down');
    expect(started.length).toBeLessThanOrEqual(4);
    expect(finished).toBe(started.length);
  });
});
