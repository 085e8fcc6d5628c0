/**
 * Which S3 the harness runs the local runtime on, and whether the tests' target has a real one.
 * radosgw is the real thing (SigV4 signatures and
 * expiry, conditional writes, CORS and versioning as AWS has them), so it is used whenever Ceph is
 * installed; s3rver is the fallback on a developer's machine, said aloud. CI must test against real S3
 * (.ci/run installs Ceph), so there a missing Ceph fails the run. TOTE_LOCAL_S3 set by hand wins.
 */
import { cephUnavailable } from '../../../local/ceph/installed';
import { S3_BACKEND_ENV, s3BackendFromEnv, type S3BackendName } from '../../../local/emulators/s3-backend';
import type { LocalRuntimeInfo } from './runtime-process';
import { TARGET_ENV } from './target-env';

export function chooseS3Backend(env: NodeJS.ProcessEnv = process.env): S3BackendName {
  if (env[S3_BACKEND_ENV]) return s3BackendFromEnv(env);
  const unavailable = cephUnavailable();
  if (!unavailable) return 'radosgw';
  if (env.CI) throw new Error(`CI is set, so the integration suite must run on radosgw, but ${unavailable}`);
  process.stderr.write(`\nintegration: running on s3rver, which checks neither signatures, expiry nor CORS as S3 does. ${unavailable}\n`);
  return 's3rver';
}

/** False only where the suite runs on s3rver, which checks no signature, expiry or CORS; tests of those skip there. */
export function targetHasRealS3(env: NodeJS.ProcessEnv = process.env): boolean {
  const local = env[TARGET_ENV.localRuntime];
  return !local || (JSON.parse(local) as LocalRuntimeInfo).s3Backend !== 's3rver';
}
