/**
 * Sync scenarios written as data: devices (separate folders and state, one account, one service),
 * an initial tree every device starts from, steps (what a user does on which device, and which
 * device syncs when), and the tree every device must hold once all have settled.
 * `{date}` in an expected name stands for today's date, as conflicted copies carry it.
 */
import { LIMITS } from '@contract/limits';
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { moveFile, openSyncDevice, removeFile, settle, sha256, treeOf, writeText, type SyncDevice } from './support/devices';

type Action = { write: [string, string] } | { remove: string } | { move: [string, string] };

/** `remote`: what a user does to the remote files directly (the `tote mv` command), on a device's client. */
type Step = { on: string; do: Action[] } | { sync: string } | { on: string; remote: ['mv', string, string][] };

interface Scenario {
  readonly name: string;
  readonly devices: readonly string[];
  /** Files in some devices' folders before they first sync (the folder being linked already holds them). */
  readonly before?: Record<string, Record<string, string>>;
  /** Files every device starts from (written on the first, then synced). */
  readonly initial?: Record<string, string>;
  readonly steps: readonly Step[];
  readonly expected: Record<string, string>;
  /** Files only some devices hold at the end, besides `expected` (ignored ones stay where they are); undefined: not there. */
  readonly only?: Record<string, Record<string, string | undefined>>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a new file reaches the other devices',
    devices: ['A', 'B', 'C'],
    steps: [{ on: 'A', do: [{ write: ['hello.txt', 'hi'] }, { write: ['docs/deep/note.md', 'nested'] }] }],
    expected: { 'docs/deep/note.md': 'nested', 'hello.txt': 'hi' },
  },
  {
    name: 'an edit replaces the old content everywhere',
    devices: ['A', 'B'],
    initial: { 'a.txt': 'v1' },
    steps: [{ on: 'B', do: [{ write: ['a.txt', 'v2 from B'] }] }],
    expected: { 'a.txt': 'v2 from B' },
  },
  {
    name: 'a delete propagates',
    devices: ['A', 'B'],
    initial: { 'a.txt': 'doomed', 'keep.txt': 'stays' },
    steps: [{ on: 'A', do: [{ remove: 'a.txt' }] }],
    expected: { 'keep.txt': 'stays' },
  },
  {
    name: 'a rename is a move, also one that only changes case',
    devices: ['A', 'B'],
    initial: { 'draft.txt': 'text', 'readme.md': 'read me' },
    steps: [{ on: 'A', do: [{ move: ['draft.txt', 'final.txt'] }, { move: ['readme.md', 'README.md'] }] }],
    expected: { 'README.md': 'read me', 'final.txt': 'text' },
  },
  {
    name: 'a folder move moves every file in it',
    devices: ['A', 'B'],
    initial: { 'photos/2024/a.jpg': 'a', 'photos/2024/b.jpg': 'b', 'photos/top.jpg': 't' },
    steps: [{ on: 'B', do: [{ move: ['photos/2024', 'archive/2024'] }] }],
    expected: { 'archive/2024/a.jpg': 'a', 'archive/2024/b.jpg': 'b', 'photos/top.jpg': 't' },
  },
  {
    name: 'edit against edit keeps both versions, the later one as a conflicted copy',
    devices: ['A', 'B'],
    initial: { 'plan.txt': 'v1' },
    steps: [
      { on: 'A', do: [{ write: ['plan.txt', 'A was here'] }] },
      { on: 'B', do: [{ write: ['plan.txt', 'B was here'] }] },
      { sync: 'A' },
      { sync: 'B' },
    ],
    expected: { 'plan (conflicted copy B {date}).txt': 'B was here', 'plan.txt': 'A was here' },
  },
  {
    name: 'an edit beats a concurrent delete, whichever syncs first',
    devices: ['A', 'B'],
    initial: { 'x.txt': 'x1', 'y.txt': 'y1' },
    steps: [
      { on: 'A', do: [{ remove: 'x.txt' }, { write: ['y.txt', 'y2 from A'] }] },
      { on: 'B', do: [{ write: ['x.txt', 'x2 from B'] }, { remove: 'y.txt' }] },
      { sync: 'A' },
      { sync: 'B' },
    ],
    expected: { 'x.txt': 'x2 from B', 'y.txt': 'y2 from A' },
  },
  {
    name: 'offline edits on both devices merge when they reconnect',
    devices: ['A', 'B'],
    initial: { 'shared/one.txt': '1', 'shared/two.txt': '2', 'shared/three.txt': '3' },
    steps: [
      { on: 'A', do: [{ write: ['shared/one.txt', '1 by A'] }, { write: ['a-only.txt', 'A new'] }, { move: ['shared/three.txt', 'three.txt'] }] },
      { sync: 'A' },
      { on: 'A', do: [{ write: ['shared/one.txt', '1 by A again'] }] },
      { sync: 'A' },
      { on: 'B', do: [{ write: ['shared/two.txt', '2 by B'] }, { write: ['b-only.txt', 'B new'] }, { write: ['shared/one.txt', '1 by B'] }] },
    ],
    expected: {
      'a-only.txt': 'A new',
      'b-only.txt': 'B new',
      'shared/one (conflicted copy B {date}).txt': '1 by B',
      'shared/one.txt': '1 by A again',
      'shared/two.txt': '2 by B',
      'three.txt': '3',
    },
  },
  {
    name: 'names swapped remotely are swapped here too (through a temporary name)',
    devices: ['A', 'B'],
    initial: { 'a.txt': 'was a', 'b.txt': 'was b', 'c/one.txt': '1', 'c/two.txt': '2' },
    steps: [
      {
        on: 'A',
        remote: [
          ['mv', '/a.txt', '/tmp.txt'],
          ['mv', '/b.txt', '/a.txt'],
          ['mv', '/tmp.txt', '/b.txt'],
          ['mv', '/c/one.txt', '/c/three.txt'],
          ['mv', '/c/two.txt', '/c/one.txt'],
          ['mv', '/c/three.txt', '/c/two.txt'],
        ],
      },
    ],
    expected: { 'a.txt': 'was b', 'b.txt': 'was a', 'c/one.txt': '2', 'c/two.txt': '1' },
  },
  {
    name: 'names swapped here reach the others as edits of each name',
    devices: ['A', 'B'],
    initial: { 'a.txt': 'was a', 'b.txt': 'was b' },
    steps: [{ on: 'B', do: [{ move: ['a.txt', 'tmp.txt'] }, { move: ['b.txt', 'a.txt'] }, { move: ['tmp.txt', 'b.txt'] }] }],
    expected: { 'a.txt': 'was b', 'b.txt': 'was a' },
  },
  {
    name: 'linking folders that already hold files merges them: equal ones linked, different ones both kept, nothing deleted',
    devices: ['A', 'B'],
    before: {
      A: { 'same.txt': 'same', 'a.txt': 'A only', 'both.txt': 'A version' },
      B: { 'same.txt': 'same', 'b.txt': 'B only', 'both.txt': 'B version' },
    },
    steps: [],
    expected: {
      'a.txt': 'A only',
      'b.txt': 'B only',
      'both (conflicted copy B {date}).txt': 'B version',
      'both.txt': 'A version',
      'same.txt': 'same',
    },
  },
  {
    name: 'ignored names (.toteignore and the defaults) stay on the device that has them',
    devices: ['A', 'B'],
    initial: { '.toteignore': 'build/\n*.tmp\n' },
    steps: [{ on: 'A', do: [{ write: ['.DS_Store', 'finder'] }, { write: ['build/out.o', 'obj'] }, { write: ['x.tmp', 'scratch'] }, { write: ['keep.txt', 'kept'] }] }],
    expected: { 'keep.txt': 'kept' },
    only: { A: { '.toteignore': 'build/\n*.tmp\n', '.DS_Store': 'finder', 'build/out.o': 'obj', 'x.tmp': 'scratch' } },
  },
  {
    name: 'ignore rules are per device: a folder one device ignores still reaches the others, both ways',
    devices: ['A', 'B', 'C'],
    initial: { 'docs/old.txt': 'synced before' },
    steps: [
      { on: 'A', do: [{ write: ['.toteignore', 'docs/\n'] }] },
      { sync: 'A' },
      { on: 'B', do: [{ write: ['docs/from-b.txt', 'new on B'] }] },
      { sync: 'B' },
      { on: 'A', do: [{ write: ['docs/from-a.txt', 'ignored on A'] }, { remove: 'docs/old.txt' }] },
    ],
    expected: { 'docs/from-b.txt': 'new on B', 'docs/old.txt': 'synced before' },
    only: { A: { '.toteignore': 'docs/\n', 'docs/from-a.txt': 'ignored on A', 'docs/from-b.txt': undefined, 'docs/old.txt': undefined } },
  },
  {
    name: 'names differing only in Unicode normalization are one file: different contents are both kept',
    devices: ['A', 'B'],
    steps: [
      { on: 'A', do: [{ write: ['cafe\u0301.txt', 'from A (NFD name)'] }] },
      { on: 'B', do: [{ write: ['caf\u00e9.txt', 'from B (NFC name)'] }] },
      { sync: 'A' },
      { sync: 'B' },
    ],
    expected: { 'caf\u00e9 (conflicted copy B {date}).txt': 'from B (NFC name)', 'caf\u00e9.txt': 'from A (NFD name)' },
  },
  {
    name: 'names differing only in case never overwrite each other',
    devices: ['A', 'B'],
    steps: [
      { on: 'A', do: [{ write: ['Notes.txt', 'from A'] }, { write: ['Same.txt', 'upper'] }, { write: ['same.txt', 'lower'] }] },
      { on: 'B', do: [{ write: ['notes.txt', 'from B'] }] },
      { sync: 'A' },
      { sync: 'B' },
    ],
    expected: {
      'Notes.txt': 'from A',
      'Same.txt': 'upper',
      'notes (conflicted copy B {date}).txt': 'from B',
      'same (case conflict).txt': 'lower',
    },
  },
];

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

const SCENARIO_TIMEOUT_MS = 120_000;

async function act(device: SyncDevice, action: Action): Promise<void> {
  if ('write' in action) return writeText(device, ...action.write);
  if ('remove' in action) return removeFile(device, action.remove);
  return moveFile(device, ...action.move);
}

describe.each(SCENARIOS.map((s) => [s.name, s]))('sync: %s', (_, scenario) => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'every device ends with the expected tree',
    async () => {
      // Prepare
      const user = await createUser(target);
      devices = [];
      for (const name of scenario.devices) devices.push(await openSyncDevice(target, user, name));
      const byName = new Map(devices.map((d) => [d.name, d]));
      for (const [name, files] of Object.entries(scenario.before ?? {})) for (const [rel, text] of Object.entries(files)) await writeText(byName.get(name)!, rel, text);
      for (const [rel, text] of Object.entries(scenario.initial ?? {})) await writeText(devices[0], rel, text);
      await settle(devices);
      // Act
      for (const step of scenario.steps) {
        if ('sync' in step) await byName.get(step.sync)!.syncOnce();
        else if ('remote' in step) for (const [, from, to] of step.remote) await byName.get(step.on)!.client.mv(from, to);
        else for (const action of step.do) await act(byName.get(step.on)!, action);
      }
      await settle(devices);
      // Assess
      const today = new Date().toISOString().slice(0, 10);
      // One name in NFC or NFD is one name (a device keeps the spelling its files were created with).
      const normalized = (tree: Record<string, string>) =>
        Object.fromEntries(Object.entries(tree).map(([rel, text]) => [rel.replace('{date}', today).normalize('NFC'), text]));
      for (const device of devices) {
        const all = { ...scenario.expected, ...scenario.only?.[device.name] };
        const expected = normalized(Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)));
        expect([device.name, normalized(await treeOf(device))]).toEqual([device.name, expected]);
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describe('sync of a large file edited in the middle', () => {
  const MiB = 1024 * 1024;
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'sends only the changed chunks up, and fetches only those down (the rest is reused from disk)',
    async () => {
      // Prepare
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'A'), await openSyncDevice(target, user, 'B')];
      const [a, b] = devices;
      await writeText(a, 'big.bin', randomBytes(100 * MiB));
      await settle(devices);
      const [sentBefore, fetchedBefore] = [a.events.length, b.events.length];
      // Act: 4 KiB rewritten in place at the middle
      const handle = await open(join(a.root, 'big.bin'), 'r+');
      await handle.write(randomBytes(4096), 0, 4096, 50 * MiB);
      await handle.close();
      await settle(devices);
      // Assess
      const sent = a.events.slice(sentBefore).flatMap((e) => (e.type === 'upload.chunk' && e.outcome === 'sent' ? [e.bytes] : []));
      const fetched = b.events.slice(fetchedBefore).flatMap((e) => (e.type === 'download.chunk' ? [e] : []));
      const bytesSent = sent.reduce((n, x) => n + x, 0);
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent.length).toBeLessThanOrEqual(2);
      expect(bytesSent).toBeLessThanOrEqual(2 * LIMITS.chunkMaxBytes);
      expect(fetched.filter((c) => c.source === 'network').length).toBe(sent.length);
      expect(fetched.filter((c) => c.source === 'local').length).toBeGreaterThan(5);
      expect(sha256(await readFile(join(b.root, 'big.bin')))).toBe(sha256(await readFile(join(a.root, 'big.bin'))));
    },
    300_000,
  );
});
