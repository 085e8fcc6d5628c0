/** Entry point of the `tote` CLI (client/bin/tote.cjs runs this through tsx). */
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { EXIT, type CliIO } from './runner';

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

if (require.main === module) {
  void run().then((code) => {
    process.exitCode = code;
  });
}
