/**
 * A file that changes between being hashed and being sent: the sender trusts bytes whose file
 * identity is unchanged (no second hash), hashes them when the identity moved, and refuses bytes
 * that no longer match their chunk with LOCAL_CHANGED before sending them.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededBytes } from './support/bytes';
import { fakeClient } from './support/fake-client';

const MiB = 1024 * 1024;

/** Runs once, the moment the upload has started and before any chunk is read for sending. */
let onStart: (() => void) | undefined;
const t = fakeClient({
  onEvent: (e) => {
    if (e.type === 'upload.start') onStart?.();
  },
});
beforeEach(() => {
  onStart = undefined;
});

describe('a file that changes after it was hashed', () => {
  it('is refused with LOCAL_CHANGED when its bytes changed, and the changed chunk is not sent', async () => {
    // Prepare
    const path = join(t.root, 'edited.bin');
    const data = seededBytes(1, 3 * MiB);
    writeFileSync(path, data);
    onStart = () => writeFileSync(path, seededBytes(2, 3 * MiB));

    // Act
    const attempt = t.client.put(path, '/edited.bin');

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'LOCAL_CHANGED' });
    expect(t.fake.puts).toEqual([]);
  });

  it('goes up when only its metadata changed (the bytes are hashed again and still match)', async () => {
    // Prepare
    const path = join(t.root, 'touched.bin');
    writeFileSync(path, seededBytes(3, 3 * MiB));
    onStart = () => chmodSync(path, 0o600);

    // Act
    const put = await t.client.put(path, '/touched.bin');

    // Assess
    expect(put.files[0].file.size).toBe(3 * MiB);
    expect(t.fake.puts.filter((p) => p.status === 200).length).toBeGreaterThan(0);
  });
});
