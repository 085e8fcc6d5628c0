/**
 * A file that changes between being hashed and being sent: the sender trusts bytes whose file
 * identity is unchanged (no second hash), hashes them when the identity moved, and refuses bytes
 * that no longer match their chunk with LOCAL_CHANGED before sending them.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToteClient, type ToteClient } from '../../../client/src/client';
import type { ToteEvent } from '../../../client/src/events';
import { seededBytes } from './support/bytes';
import { FakeTote } from './support/fake-tote';

const MiB = 1024 * 1024;

let fake: FakeTote;
let root: string;
let client: ToteClient;
/** Runs once, the moment the upload has started and before any chunk is read for sending. */
let onStart: (() => void) | undefined;

beforeEach(async () => {
  fake = new FakeTote();
  await fake.start();
  root = mkdtempSync(join(tmpdir(), 'tote-changed-'));
  fake.signIn(join(root, 'config'));
  onStart = undefined;
  client = await createToteClient({
    endpoint: fake.url,
    configDir: join(root, 'config'),
    stateDir: join(root, 'state'),
    env: {},
    commitPatienceMs: 300,
    onEvent: (e: ToteEvent) => {
      if (e.type === 'upload.start') onStart?.();
    },
  });
});

afterEach(async () => {
  client.close();
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a file that changes after it was hashed', () => {
  it('is refused with LOCAL_CHANGED when its bytes changed, and the changed chunk is not sent', async () => {
    // Prepare
    const path = join(root, 'edited.bin');
    const data = seededBytes(1, 3 * MiB);
    writeFileSync(path, data);
    onStart = () => writeFileSync(path, seededBytes(2, 3 * MiB));

    // Act
    const attempt = client.put(path, '/edited.bin');

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'LOCAL_CHANGED' });
    expect(fake.puts).toEqual([]);
  });

  it('goes up when only its metadata changed (the bytes are hashed again and still match)', async () => {
    // Prepare
    const path = join(root, 'touched.bin');
    writeFileSync(path, seededBytes(3, 3 * MiB));
    onStart = () => chmodSync(path, 0o600);

    // Act
    const put = await client.put(path, '/touched.bin');

    // Assess
    expect(put.files[0].file.size).toBe(3 * MiB);
    expect(fake.puts.filter((p) => p.status === 200).length).toBeGreaterThan(0);
  });
});
