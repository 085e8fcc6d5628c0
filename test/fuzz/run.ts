/**
 * `npm run fuzz -- [--runs N] [--seed S] [--state-every K]`: a fuzz campaign of any size against a
 * runtime of its own (test/fuzz/campaign.ts). Prints the seed first (pass it back to replay), a tally
 * of statuses per route and fault, and, on a finding, the smallest failing case or the store change
 * with the cases that may have made it. Exits 1 on a finding.
 */
import { parseArgs } from 'node:util';
import { runCampaign, tallyTable } from './campaign';
import { createWorld } from './world';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '1000' }, seed: { type: 'string' }, 'state-every': { type: 'string', default: '200' } },
  });
  const runs = Number(values.runs);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const stateEvery = Number(values['state-every']);
  if (![runs, seed, stateEvery].every((n) => Number.isSafeInteger(n) && n > 0)) throw new Error('--runs, --seed and --state-every take positive whole numbers');
  process.stdout.write(`fuzz: seed ${seed}, ${runs} cases (replay: npm run fuzz -- --seed ${seed} --runs ${runs})\n`);

  const started = Date.now();
  const world = await createWorld();
  let found = false;
  process.stdout.write(`fuzz: runtime and fixture ready in ${((Date.now() - started) / 1000).toFixed(1)} s; log ${world.logFile}\n`);
  try {
    const t0 = Date.now();
    const report = await runCampaign(world, {
      seed,
      runs,
      stateEvery,
      onProgress: (done) => {
        if (done % 100 === 0) process.stdout.write(`fuzz: ${done} sent, ${(done / ((Date.now() - t0) / 1000)).toFixed(1)}/s\n`);
      },
    });
    process.stdout.write(`\n${tallyTable(report)}\n\nfuzz: ${report.sent} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    if (report.failure) process.stdout.write(`\nFINDING (answer):\n${report.failure}\n`);
    if (report.stateChange) {
      const { added, removed, cases } = report.stateChange;
      process.stdout.write(`\nFINDING (store changed):\nadded:\n${added.slice(0, 20).join('\n')}\nremoved:\n${removed.slice(0, 20).join('\n')}\n`);
      process.stdout.write(`cases since the store was last unchanged:\n${cases.map((c) => JSON.stringify(c).slice(0, 400)).join('\n')}\n`);
    }
    found = report.failure !== undefined || report.stateChange !== undefined;
    if (found) process.stdout.write(`\nfuzz: the runtime's log is kept: ${world.logFile}\n`);
    return found ? 1 : 0;
  } finally {
    world.state.close();
    await world.stop(found);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
