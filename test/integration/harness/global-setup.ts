/**
 * Jest global setup of the integration project: one local runtime for the whole run, on free ports and
 * a temporary data dir (so it never clashes with `npm start`), on radosgw when Ceph is installed
 * (./s3-backend.ts), unless TOTE_API_URL names a deployment to test instead. What it starts is
 * published to the tests through environment variables.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3_BACKEND_ENV } from '../../../local/emulators/s3-backend';
import { synthesize } from '../../../local/synth/synthesize';
import { TEST_SYNTH_CACHE } from '../../support/synth-cache';
import { runtimeLogOf, startRuntimeProcess, type RuntimeProcess } from './runtime-process';
import { chooseS3Backend } from './s3-backend';
import { TARGET_ENV } from './target-env';

declare global {
  // Handed from the setup to the teardown, which jest runs in the same process.
  var toteLocalRuntime: { process: RuntimeProcess; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[TARGET_ENV.apiUrl]) return;
  // In the environment, so runtimes that tests start of their own (restarts) run on the same S3.
  process.env[S3_BACKEND_ENV] = chooseS3Backend();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-it-'));
  // The CDK synth after a code change takes minutes on a busy machine: done here, untimed, so the
  // runtime finds it cached and its start-up limit measures only the services.
  await synthesize({ cacheDir: TEST_SYNTH_CACHE, logFile: path.join(dataDir, 'synth.log') });
  const runtime = await startRuntimeProcess({ dataDir, logFile: runtimeLogOf(dataDir) });
  globalThis.toteLocalRuntime = { process: runtime, dataDir };
  const { info } = runtime;
  // In every run's log: which S3 the suite ran on, and what starting the runtime and that S3 cost.
  const seconds = (ms = 0) => `${(ms / 1000).toFixed(1)} s`;
  process.stderr.write(`\nintegration: local runtime on ${info.s3Backend} ready in ${seconds(info.timings.total)} (S3 ${seconds(info.timings.s3)})\n`);
  Object.assign(process.env, {
    [TARGET_ENV.apiUrl]: info.apiUrl,
    [TARGET_ENV.secretsEndpoint]: info.secretsEndpoint,
    [TARGET_ENV.signingKeySecret]: info.signingKeySecretName,
    [TARGET_ENV.localRuntime]: JSON.stringify(info),
    // DynamoDB Local, cognito-local and the secrets stand-in accept any key; the SDK just needs one to sign with.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: info.region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}
