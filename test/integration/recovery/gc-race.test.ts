/**
 * The collector race test (support/gc-race.ts): CI runs a few fixed seeds; TOTE_SEED=<n> replays one
 * exactly; TOTE_GC_RUNS=<n> runs n fresh seeds from TOTE_SEED_BASE or the clock (what
 * `npm run soak:gc -- --runs <n>` does). Every seed is printed. Needs the local runtime on a real S3
 * (radosgw, as in CI): its DynamoDB Local and S3 hold the race's own table and versioned bucket.
 */
import './support/quiet-logs';
import { getTarget } from '../harness/target';
import { targetHasRealS3 } from '../harness/s3-backend';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { runRace } from './support/gc-race';
import { createRaceWorld, type RaceWorld } from './support/race-world';

const CI_SEEDS = [7, 1312];
const STEPS = 250;
const RETENTION_DAYS = 3;
const RUN_TIMEOUT_MS = 5 * 60_000;

function seeds(env: NodeJS.ProcessEnv): number[] {
  if (env.TOTE_SEED) return [Number(env.TOTE_SEED)];
  const runs = Number(env.TOTE_GC_RUNS ?? 0);
  if (runs > 0) {
    const base = Number(env.TOTE_SEED_BASE ?? Date.now() % 1_000_000_000);
    return Array.from({ length: runs }, (_, i) => base + i);
  }
  return CI_SEEDS;
}

const onLocalRealS3 = targetHasRealS3() && process.env.TOTE_LOCAL_RUNTIME_JSON ? describe : describe.skip;

onLocalRealS3('the chunk collector against uploads, restores, deletes and purges (randomized)', () => {
  let world: RaceWorld;
  beforeAll(async () => {
    world = await createRaceWorld((await getTarget()).local!);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  test.each(seeds(process.env))(
    'seed %i: every kept revision stays downloadable, nothing is purged early, and the namespace ends with zero bytes',
    async (seed) => {
      // Prepare
      process.stdout.write(`gc race: seed ${seed} (replay: TOTE_SEED=${seed} npx jest --selectProjects integration -- test/integration/recovery/gc-race.test.ts)\n`);
      // Act
      const run = await runRace(world, { seed, steps: STEPS, retentionDays: RETENTION_DAYS });
      // Assess
      process.stdout.write(`gc race: seed ${seed}: ${JSON.stringify(run.counts)}; end: ${run.endBytes} bytes, ${run.endObjects} object versions\n`);
      if (run.problems.length > 0) {
        throw new Error(`seed ${seed}:\n${run.problems.join('\n')}\nreplay: TOTE_SEED=${seed}\n${run.log.join('\n')}`);
      }
      expect(run.endBytes).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );
});
