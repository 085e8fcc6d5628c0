/**
 * The fuzz suite in CI (issue 10, item 7): a fixed seed and a modest number of cases against a
 * runtime of its own; every answer a coded refusal, nothing stored changed. `npm run fuzz -- --runs N
 * --seed S` runs more (test/fuzz/run.ts). TOTE_FUZZ_SEED and TOTE_FUZZ_RUNS override the defaults here.
 */
import { runCampaign, tallyTable, type CampaignReport } from './campaign';
import { createWorld, type World } from './world';

const SEED = Number(process.env.TOTE_FUZZ_SEED ?? 20_261_001);
const RUNS = Number(process.env.TOTE_FUZZ_RUNS ?? 150);

let world: World;
let report: CampaignReport;

beforeAll(async () => {
  world = await createWorld();
  report = await runCampaign(world, { seed: SEED, runs: RUNS, stateEvery: RUNS });
  process.stdout.write(`\nfuzz: seed ${report.seed}, ${report.sent} requests\n${tallyTable(report)}\n`);
}, 300_000);

afterAll(async () => {
  world.state.close();
  await world.stop();
}, 60_000);

test('every route answers every refused request with a coded 4xx, never a 5xx or a 2xx', () => {
  expect(report.failure).toBeUndefined();
  expect(report.sent).toBeGreaterThanOrEqual(RUNS);
});

test('no request changed a stored item or object', () => {
  expect(report.stateChange).toBeUndefined();
});
