import { PendingConditionalWrites } from '../../../local/ceph/pending-conditional-writes';

const address = { bucket: 'chunks-bucket', key: 'chunks/owner/abc' };

describe('PendingConditionalWrites', () => {
  it('lets a notice through at once when no conditional PUT is pending for its key', async () => {
    const pending = new PendingConditionalWrites();
    pending.begin({ bucket: 'chunks-bucket', key: 'chunks/owner/other' });

    await expect(pending.refused(address, 'v1')).resolves.toBe(false);
  });

  it('holds a notice until the verdict, then drops only the version the front undid', async () => {
    // Prepare
    const pending = new PendingConditionalWrites();
    const settle = pending.begin(address);
    let decided = false;

    // Act
    const undone = pending.refused(address, 'v2').finally(() => (decided = true));
    const kept = pending.refused(address, 'v1');
    await Promise.resolve();
    const decidedBeforeVerdict = decided;
    settle('v2');

    // Assess
    expect(decidedBeforeVerdict).toBe(false);
    await expect(undone).resolves.toBe(true);
    await expect(kept).resolves.toBe(false);
    await expect(pending.refused(address, 'v2')).resolves.toBe(false);
  });

  it('lets the notice through when the conditional PUT stood', async () => {
    const pending = new PendingConditionalWrites();
    const settle = pending.begin(address);
    const notice = pending.refused(address, 'v3');
    settle(undefined);
    await expect(notice).resolves.toBe(false);
  });
});
