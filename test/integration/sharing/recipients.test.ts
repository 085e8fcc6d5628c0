/**
 * Sharing end to end through the real client (library and CLI) on separate devices: a recipient
 * downloads a shared file byte for byte, an editor's revision reaches the owner, and a revoke cuts
 * the recipient off.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileMetadata } from '@contract/schemas';
import { isToteError } from '../../../client/src';
import { run } from '../../../client/src/cli/main';
import { openDevice, type Device } from '../client/devices';
import { randomFile, sha256File } from '../client/files';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createCast, type Cast } from './support';

const MiB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 120_000;

let target: Target;
let cast: Cast;
let owner: Device;
let editor: Device;
let viewer: Device;
let original: string;
let file: FileMetadata;

beforeAll(async () => {
  target = await getTarget();
  cast = await createCast(target);
  [owner, editor, viewer] = await Promise.all([
    openDevice(target, cast.owner, 'owner'),
    openDevice(target, cast.editor, 'editor'),
    openDevice(target, cast.viewer, 'viewer'),
  ]);
  original = await randomFile(10 * MiB, 'report.bin');
  file = (await owner.client.put(original, '/Team/report.bin')).files[0].file;
}, TRANSFER_TIMEOUT_MS);

afterAll(() => {
  for (const device of [owner, editor, viewer]) device?.client.close();
});

/** The `tote` CLI in-process, as `device`: exit code and what it printed. */
async function tote(device: Device, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const capture = () => ({ text: '', isTTY: false, write(s: string) { this.text += s; return true; } });
  const stdout = capture();
  const stderr = capture();
  const env = { TOTE_ENDPOINT: target.apiUrl, TOTE_CONFIG_DIR: device.configDir, TOTE_STATE_DIR: device.stateDir };
  const code = await run(['node', 'tote', ...args], { stdout, stderr, stdin: Readable.from([]) as unknown as NodeJS.ReadStream, env });
  return { code, out: stdout.text, err: stderr.text };
}

const reportRef = () => `shared:${cast.owner.email}/report.bin`;

test(
  'tote share, then the viewer finds the file in `tote shared` and downloads it byte-identical',
  async () => {
    // Act
    const shared = await tote(owner, 'share', '/Team/report.bin', cast.viewer.email, cast.editor.email);
    const promoted = await tote(owner, 'share', '/Team/report.bin', cast.editor.email, '--role', 'editor');
    const listed = await tote(viewer, 'shared');
    const destination = join(viewer.stateDir, '..', 'report.bin');
    const got = await tote(viewer, 'get', reportRef(), destination);

    // Assess
    expect(shared).toMatchObject({ code: 0, err: '' });
    expect(promoted.out).toContain(`${cast.editor.email} (editor)`);
    expect(listed.out).toMatch(new RegExp(`^viewer .*10\\.0 MiB .*${reportRef().replace(/[.+]/g, '\\$&')}\\n$`));
    expect(got).toMatchObject({ code: 0, err: '' });
    expect(await sha256File(destination)).toBe(await sha256File(original));
  },
  TRANSFER_TIMEOUT_MS,
);

test(
  "an editor's new revision, put to the shared file, is what the owner then downloads",
  async () => {
    // Prepare
    const edited = await randomFile(3 * MiB + 17, 'edited.bin');

    // Act
    const put = await editor.client.put(edited, reportRef());
    const destination = join(owner.stateDir, '..', 'report-from-editor.bin');
    const got = await owner.client.get('/Team/report.bin', destination);

    // Assess
    expect(put.files[0].file).toMatchObject({ fileId: file.fileId, ownerId: cast.owner.sub, path: '/Team/report.bin', revision: 2, size: 3 * MiB + 17 });
    expect(got.file.revision).toBe(2);
    expect(await sha256File(destination)).toBe(await sha256File(edited));
  },
  TRANSFER_TIMEOUT_MS,
);

test(
  'a viewer may not put a revision',
  async () => {
    // Prepare
    const attempt = join(viewer.stateDir, '..', 'attempt.bin');
    await copyFile(original, attempt);

    // Act
    const refused = await viewer.client.put(attempt, reportRef()).catch((error: unknown) => error);

    // Assess
    expect(isToteError(refused) && refused.code).toBe('FORBIDDEN');
  },
  SETUP_TIMEOUT_MS,
);

test(
  'after tote unshare the file is 404 for the former viewer and gone from their list',
  async () => {
    // Act
    const unshared = await tote(owner, 'unshare', '/Team/report.bin', cast.viewer.email.toUpperCase());
    const byId = await viewer.client.get(`id:${file.fileId}`, join(viewer.stateDir, '..', 'after-revoke.bin')).catch((error: unknown) => error);
    const listed = await tote(viewer, 'shared');
    const collaborators = await tote(owner, 'collaborators', '/Team/report.bin');

    // Assess
    expect(unshared).toMatchObject({ code: 0, out: `Stopped sharing /Team/report.bin with ${cast.viewer.email}.\n` });
    expect(isToteError(byId) && [byId.code, byId.status]).toEqual(['NOT_FOUND', 404]);
    expect(listed.out).toBe('Nothing is shared with you.\n');
    expect(collaborators.out).toBe(`editor  ${cast.editor.email}\n`);
  },
  SETUP_TIMEOUT_MS,
);
