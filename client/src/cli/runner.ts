/**
 * Runs one command: picks the output host, builds the client from the global options, feeds the
 * client's events to the host, and turns the outcome into an exit code (0 ok, 1 failed, 2 usage).
 */
import { createToteClient, type ToteClient } from '../client';
import { toToteError } from '../core/errors';
import type { CommandOutput } from './commands/output';
import type { OutputHost, OutputStream } from './output/host';
import { JsonLinesHost } from './output/json-host';
import { TextHost } from './output/text-host';

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

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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
  try {
    client = await createToteClient({
      endpoint: globals.endpoint,
      configDir: globals.configDir,
      stateDir: globals.stateDir,
      concurrency: globals.concurrency,
      env: io.env,
      onEvent: (event) => host.event(event),
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
    client?.close();
    host.close();
  }
}
