/**
 * Runs a describe block against a radosgw of its own: a fresh single-node Ceph cluster in a temp dir,
 * started before the block and stopped (every daemon, by pid) after it.
 *
 * Without the Ceph packages the block is skipped with the reason in its title, on a developer's
 * machine only: where CI is set it fails instead, because CI must test against the real S3.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CEPH_PACKAGES_INSTALL, missingCephTools } from '../../../../local/ceph/installed';
import { startRadosgw, type Radosgw } from '../../../../local/ceph/radosgw';

/** A cold start under load (2 cores shared with compilers) takes a few seconds; leave a wide margin. */
const START_TIMEOUT_MS = 180_000;

export function describeOnRadosgw(title: string, define: (rgw: () => Radosgw) => void): void {
  const missing = missingCephTools();
  if (missing.length > 0 && !process.env.CI) {
    describe.skip(`${title} (skipped: Ceph is not installed, missing ${missing.join(', ')}; ${CEPH_PACKAGES_INSTALL})`, () =>
      define(() => {
        throw new Error('skipped');
      }),
    );
    return;
  }
  describe(title, () => {
    let dataDir: string | undefined;
    let rgw: Radosgw | undefined;

    beforeAll(async () => {
      if (missing.length > 0) throw new Error(`CI is set but Ceph is not installed (missing ${missing.join(', ')}): ${CEPH_PACKAGES_INSTALL}`);
      dataDir = await mkdtemp(join(tmpdir(), 'tote-radosgw-'));
      rgw = await startRadosgw({ dataDir, timeoutMs: START_TIMEOUT_MS - 10_000 });
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await rgw?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 60_000);

    define(() => {
      if (!rgw) throw new Error('radosgw did not start');
      return rgw;
    });
  });
}
