/**
 * Two running daemons without the push channel (real file watchers, default tuning: 250 ms quiet
 * period, adaptive settle time, change-feed polls from 1 s backing off to 30 s): how long a small file
 * written on device A takes to appear on device B while the devices are in use. Prints p50 and p95;
 * fails only when p95 leaves any reasonable bound (a regression, not a benchmark). The push channel's
 * latency after idle periods is measured by `npm run bench -- --push`.
 */
import { percentile } from '../../../bench/measure';
import { getTarget } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { writeText, type SyncDevice } from './support/devices';
import { appears, runningDaemons } from './support/daemons';

const SAMPLES = 20;
const WAIT_LIMIT_MS = 60_000;

describe('propagation latency', () => {
  const daemons = runningDaemons();
  afterAll(() => daemons.stop());

  test(
    'a small file written on device A appears on device B within seconds (p50 and p95 printed)',
    async () => {
      // Prepare
      const target = await getTarget();
      const user = await createUser(target);
      const devices: SyncDevice[] = [await daemons.open(target, user, 'A'), await daemons.open(target, user, 'B')];
      await writeText(devices[0], 'warm-up.txt', 'hello');
      await appears(devices[1], 'warm-up.txt', WAIT_LIMIT_MS);
      // Act
      const latencies: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Writes spread over B's poll cycle, so the samples do not all land at the same phase of it.
        await new Promise((r) => setTimeout(r, (i * 373) % 1_000));
        const started = Date.now();
        await writeText(devices[0], `note-${i}.txt`, `note ${i}`);
        await appears(devices[1], `note-${i}.txt`, WAIT_LIMIT_MS);
        latencies.push(Date.now() - started);
      }
      // Assess
      const sorted = [...latencies].sort((a, b) => a - b);
      const [p50, p95] = [percentile(sorted, 50), percentile(sorted, 95)];
      process.stdout.write(`sync latency A -> B over ${SAMPLES} small files: p50 ${p50} ms, p95 ${p95} ms (all: ${latencies.join(', ')})\n`);
      expect(p95).toBeLessThan(15_000);
    },
    SETUP_TIMEOUT_MS + SAMPLES * WAIT_LIMIT_MS,
  );
});
