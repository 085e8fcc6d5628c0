/**
 * `npm start` serves S3 from s3rver by default, while the suite runs on radosgw wherever Ceph is
 * installed (CI included). This keeps the default honest: a runtime of its own on s3rver carries a file
 * through the whole path (presigned PUT, its in-process events to the tracker, commit, edge download)
 * and refuses to overwrite a stored chunk. Skipped where the whole suite runs on s3rver anyway.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DownloadResponse } from '@contract/schemas';
import { S3_BACKEND_ENV } from '../../local/emulators/s3-backend';
import { api } from './harness/api';
import { startRuntimeProcess, type RuntimeProcess } from './harness/runtime-process';
import { targetOf } from './harness/target';
import { TARGET_ENV } from './harness/target-env';
import { RESTART_TEST_TIMEOUT_MS } from './harness/timeouts';
import { putChunk, startUpload, testFile, uploadFile } from './harness/uploads';
import { createUser } from './harness/users';

const suiteOnOtherS3 = process.env[TARGET_ENV.localRuntime] && process.env[S3_BACKEND_ENV] !== 's3rver';

(suiteOnOtherS3 ? describe : describe.skip)("npm start's default S3 (s3rver)", () => {
  let dataDir: string;
  let runtime: RuntimeProcess | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-s3rver-'));
    runtime = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'runtime.log'), s3Backend: 's3rver' });
  }, RESTART_TEST_TIMEOUT_MS);
  afterAll(async () => {
    expect(await runtime?.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, RESTART_TEST_TIMEOUT_MS);

  test('carries a file from upload to download, and answers 412 to a second PUT of a stored chunk', async () => {
    // Prepare
    expect(runtime!.info.s3Backend).toBe('s3rver');
    const target = targetOf(runtime!.info);
    const user = await createUser(target);
    const file = testFile('/default-s3/notes.txt', [6000]);
    const [firstPut] = (await startUpload(target, user, file)).json.urls;

    // Act
    const meta = await uploadFile(target, user, file);
    const again = await putChunk(firstPut, file.chunks[0].bytes);

    // Assess
    const download = await api<DownloadResponse>(target, 'GET', `/files/${meta.fileId}/download`, { token: user.accessToken });
    const bytes = Buffer.from(await (await fetch(download.json.chunks[0].url)).arrayBuffer());
    expect(bytes.equals(file.bytes)).toBe(true);
    expect(again).toBe(412);
  }, RESTART_TEST_TIMEOUT_MS);
});
