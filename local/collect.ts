/**
 * `npm run collect`: runs the scheduled rules of a running `npm start` now (the chunk collector) and
 * waits until the collection it started has finished. `--time` makes that run's "now" any moment,
 * e.g. a month ahead to see the trash expire; `--namespace` limits it to some owners' files.
 */
import { Command } from 'commander';
import { DEFAULT_PORTS, LOCAL_HOST, portsFromEnv } from './config';

const program = new Command('collect')
  .description('Run the scheduled jobs of the local runtime (the chunk collector) now, and wait for them')
  .option('--time <iso>', 'the run\'s "now" (default: now), e.g. 2030-01-01T00:00:00Z')
  .option('--namespace <ownerId...>', 'collect only these namespaces (user ids)')
  .action(async (opts: { time?: string; namespace?: string[] }) => {
    const port = portsFromEnv(process.env).lambda ?? DEFAULT_PORTS.lambda;
    const res = await fetch(`http://${LOCAL_HOST}:${port}/schedules/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...(opts.time ? { time: opts.time } : {}), ...(opts.namespace ? { detail: { namespaces: opts.namespace } } : {}) }),
    }).catch((err: Error) => {
      throw new Error(`cannot reach the local runtime on port ${port} (is \`npm start\` running?): ${err.message}`);
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`the runtime answered ${res.status}: ${body}`);
    process.stdout.write(`${JSON.stringify(JSON.parse(body), null, 2)}\n`);
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`collect: ${err.message}\n`);
  process.exit(1);
});
