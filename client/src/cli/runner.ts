/**
 * Runs one command: picks the output host, builds the client from the global options, feeds the
 * client's events to the host, and turns the outcome into an exit code (exit-codes.ts).
 */
import { createToteClient, type ToteClient } from '../client';
import { toToteError, ToteError } from '../core/errors';
import type { ToteEvent } from '../events';
import type { CommandOutput } from './commands/output';
import { EXIT } from './exit-codes';
import type { OutputHost, OutputStream } from './output/host';
import { JsonLinesHost } from './output/json-host';
import { TextHost } from './output/text-host';

const TRANSFER_STARTS: ReadonlySet<ToteEvent['type']> = new Set(['hash.start', 'upload.start', 'download.start']);
const RESUME_HINT = 'interrupted; run the same command again to resume (chunks already sent or received are kept)';

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface GlobalOptions {
  readonly endpoint?: string;
  readonly stateDir?: string;
  readonly configDir?: string;
  readonly json?: boolean;
  readonly concurrency?: number;
}

export function createHost(io: CliIO, json: boolean): OutputHost {
  if (json) return new JsonLinesHost(io.stdout);
  const progress = io.stderr.isTTY === true && !io.env.CI;
  return new TextHost(io.stdout, io.stderr, progress);
}

export async function runCommand(
  io: CliIO,
  globals: GlobalOptions,
  command: string,
  body: (client: ToteClient) => Promise<CommandOutput>,
): Promise<number> {
  const host = createHost(io, globals.json === true);
  let client: ToteClient | undefined;
  let transferring = false;
  const onEvent = (event: ToteEvent) => {
    transferring ||= TRANSFER_STARTS.has(event.type);
    host.event(event);
  };
  // Ctrl-C: every chunk sent or received is already recorded, so stopping at once loses nothing; the
  // person needs to know that running the command again resumes. A command that stops gracefully on
  // its own (sync) has a listener of its own, and this one ends the process on the next Ctrl-C.
  const interrupt = () => {
    if (process.listenerCount('SIGINT') > 1) return;
    host.failure(new ToteError('INTERRUPTED', transferring ? RESUME_HINT : 'interrupted'));
    host.close();
    client?.close();
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', interrupt);
  try {
    client = await createToteClient({
      endpoint: globals.endpoint,
      configDir: globals.configDir,
      stateDir: globals.stateDir,
      concurrency: globals.concurrency,
      env: io.env,
      onEvent,
    });
    const output = await body(client);
    host.result(command, output.data, output.lines);
    return output.exitCode ?? EXIT.ok;
  } catch (thrown) {
    const error = toToteError(thrown);
    host.failure(error);
    if (io.env.TOTE_DEBUG) io.stderr.write(`${error.stack ?? ''}\n${error.cause instanceof Error ? (error.cause.stack ?? '') : ''}\n`);
    return error.code === 'USAGE' ? EXIT.usage : EXIT.failed;
  } finally {
    process.off('SIGINT', interrupt);
    client?.close();
    host.close();
  }
}
