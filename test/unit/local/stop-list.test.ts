import { createStopList } from '../../../local/process/stop-list';

const tick = () => new Promise((r) => setImmediate(r));

describe('the runtime stop list', () => {
  test('stops everything newest first, and one failure does not strand the rest', async () => {
    // Arrange
    const list = createStopList();
    const order: string[] = [];
    list.add('dynamodb', () => order.push('dynamodb'));
    list.add('s3', () => {
      throw new Error('s3 would not stop');
    });
    list.add('functions', () => order.push('functions'));

    // Act
    const failures = await list.stopAll();

    // Assert
    expect(order).toEqual(['functions', 'dynamodb']);
    expect(failures.map((f) => [f.name, f.error.message])).toEqual([['s3', 's3 would not stop']]);
  });

  test('a second stopAll resolves only once the first has stopped what it took, then stops what came since', async () => {
    // Arrange: an abort's stopAll is still stopping a slow daemon when a service that was starting comes up
    const list = createStopList();
    let finishSlow: () => void = () => undefined;
    const stopped: string[] = [];
    list.add('ceph daemons', () => new Promise<void>((r) => (finishSlow = r)).then(() => stopped.push('ceph daemons')));
    const first = list.stopAll();
    await tick();
    list.add('dynamodb', () => stopped.push('dynamodb'));

    // Act
    let secondDone = false;
    const second = list.stopAll().then(() => (secondDone = true));
    await tick();

    // Assert: the second waits for the first's daemon, then stops what was added since
    expect(secondDone).toBe(false);
    finishSlow();
    await Promise.all([first, second]);
    expect(stopped).toEqual(['ceph daemons', 'dynamodb']);
  });
});
