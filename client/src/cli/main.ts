/**
 * The `tote` CLI: arguments in, exit code out. bin.ts runs it as a program.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { EXIT } from './exit-codes';
import type { CliIO } from './runner';

// The AWS SDK warns on stderr about the Node version it will require next year; the CLI's output
// host is the only voice of this process, and the README states the supported Node versions.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function run(argv: readonly string[] = process.argv, io: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // Help and version end through here with code 0; anything else commander rejects is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return exitCode;
}

function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Runs the CLI on this process's arguments and sets its exit code. */
export function main(): Promise<void> {
  return run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tote: ${error instanceof Error && error.stack ? error.stack : String(error)} (UNEXPECTED)\n`);
      process.exitCode = 1;
    },
  );
}
