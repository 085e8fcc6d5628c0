import { Debouncer, type Timers } from '../../../../client/src/sync/debounce';

/** Timers under the test's control: `advance` runs what falls due. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe('Debouncer', () => {
  it('hands a burst on as one batch once it has been quiet', () => {
    // Prepare
    const { timers, advance } = manualTimers();
    const batches: string[][] = [];
    const debouncer = new Debouncer<string>(100, 1_000, (b) => batches.push([...b]), timers);
    // Act
    debouncer.add('a.txt');
    advance(50);
    debouncer.add('b.txt');
    debouncer.add('a.txt');
    advance(99);
    const early = batches.length;
    advance(1);
    // Assess
    expect(early).toBe(0);
    expect(batches).toEqual([['a.txt', 'b.txt']]);
  });

  it('never holds a batch longer than the maximum wait, however busy the folder', () => {
    // Prepare
    const { timers, advance } = manualTimers();
    const batches: string[][] = [];
    const debouncer = new Debouncer<string>(100, 300, (b) => batches.push([...b]), timers);
    // Act: an event every 50 ms, for a second
    for (let t = 0; t < 1_000; t += 50) {
      debouncer.add(`f${t}`);
      advance(50);
    }
    // Assess
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches[0]).toEqual(['f0', 'f50', 'f100', 'f150', 'f200', 'f250']);
  });

  it('drops what is pending when closed', () => {
    // Prepare
    const { timers, advance } = manualTimers();
    const batches: string[][] = [];
    const debouncer = new Debouncer<string>(100, 300, (b) => batches.push([...b]), timers);
    // Act
    debouncer.add('a');
    debouncer.close();
    advance(1_000);
    // Assess
    expect(batches).toEqual([]);
  });
});
