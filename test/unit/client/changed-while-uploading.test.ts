/**
 * A file that changes between being hashed and being sent. A file hashed before (its manifest
 * remembered) is not read again but for the chunks storage lacks: the sender trusts those bytes while
 * the file's identity is unchanged (no second hash), hashes them when the identity moved, and refuses
 * bytes that no longer match their chunk with LOCAL_CHANGED before sending them.
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

/** A file this client hashed and uploaded before, whose chunks storage has since lost (so they must go up again). */
async function hashedBefore(name: string, seed: number): Promise<string> {
  const path = join(t.root, name);
  writeFileSync(path, seededBytes(seed, 3 * MiB));
  await t.client.put(path, `/first-${name}`);
  t.fake.registry.clear();
  t.fake.objects.clear();
  t.fake.puts.length = 0;
  return path;
}

describe('a file hashed before that changes once its upload started', () => {
  it('is refused with LOCAL_CHANGED when its bytes changed, and the changed chunk is not sent', async () => {
    // Prepare
    const path = await hashedBefore('edited.bin', 1);
    onStart = () => writeFileSync(path, seededBytes(2, 3 * MiB));

    // Act
    const attempt = t.client.put(path, '/edited.bin');

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'LOCAL_CHANGED', subject: path });
    expect(t.events.filter((e) => e.type === 'hash.done').at(-1)).toMatchObject({ cached: true });
    expect(t.fake.puts).toEqual([]);
  });

  it('goes up when only its metadata changed (the bytes are hashed again and still match)', async () => {
    // Prepare
    const path = await hashedBefore('touched.bin', 3);
    onStart = () => chmodSync(path, 0o600);

    // Act
    const put = await t.client.put(path, '/touched.bin');

    // Assess
    expect(put.files[0].file.size).toBe(3 * MiB);
    expect(t.fake.puts.filter((p) => p.status === 200).length).toBeGreaterThan(0);
  });
});
