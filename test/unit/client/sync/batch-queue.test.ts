/**
 * The queue that groups sync's ready transfers into batches (client/src/sync/batch-queue.ts): full
 * batches go at once, one batch at a time, what arrives meanwhile makes the next, and a lone item
 * goes once nothing more arrives.
 */
import { BatchQueue, Settlements } from '../../../../client/src/sync/batch-queue';

const timing = { max: 4, quietMs: 5, maxWaitMs: 1_000 };

describe('batch queue', () => {
  it('sends full batches at once, one at a time, and the rest once nothing more arrives', async () => {
    // Prepare
    const sent: number[][] = [];
    let sending = 0;
    let overlapped = false;
    let allSent: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allSent = resolve));
    const queue = new BatchQueue<number>(async (batch) => {
      overlapped ||= sending > 0;
      sending++;
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(batch);
      sending--;
      if (sent.flat().length === 10) allSent();
    }, timing);

    // Act
    for (let i = 0; i < 10; i++) queue.push(i);
    await done;

    // Assess
    expect(sent).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(overlapped).toBe(false);
  });

  it('sends a lone item without waiting for a batch to fill', async () => {
    // Prepare
    const sent: string[][] = [];
    const queue = new BatchQueue<string>(async (batch) => void sent.push(batch), timing);

    // Act
    queue.push('only');
    while (sent.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));

    // Assess
    expect(sent).toEqual([['only']]);
  });
});

describe('settlements', () => {
  it('refuses a second item of one name while the first waits, settles each once, and tells the leftovers of a batch', async () => {
    // Prepare
    const settlements = new Settlements<string>();
    const first = settlements.expect('/a');

    // Act
    const second = (() => {
      try {
        void settlements.expect('/a');
        return 'taken';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    settlements.resolve('/a', 'done');
    const again = settlements.expect('/a').then(() => 'settled', (e: Error) => e.message);
    settlements.rejectLeft(['/a']);

    // Assess
    expect(second).toContain('already in a batch');
    await expect(first).resolves.toBe('done');
    expect(await again).toContain('without an outcome');
  });
});
