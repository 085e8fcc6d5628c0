/** Every command of `tote` has examples in its help, and every example is a command line the program accepts. */
import { Readable } from 'node:stream';
import { CommanderError, type Command } from 'commander';
import { EXAMPLES } from '../../../client/src/cli/help-examples';
import { buildProgram } from '../../../client/src/cli/program';

const io = () => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  stdin: Readable.from([]) as unknown as NodeJS.ReadStream,
  env: {},
});

/** A shell command line's words (quotes removed); from a pipeline, the `tote` command at its end. */
function words(line: string): string[] {
  const command = line.slice(line.lastIndexOf('| tote ') + 1).trim();
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

class Parsed extends Error {
  constructor(readonly command: string) {
    super(command);
  }
}

/** Parses a command line as `tote` would, stopping just before the command would run. */
async function parse(line: string): Promise<unknown> {
  const program = buildProgram(io(), () => undefined);
  program.hook('preAction', (_program: Command, action: Command) => {
    throw new Parsed(action.name());
  });
  const [tote, ...args] = words(line);
  expect(tote).toBe('tote');
  return program.parseAsync(['node', 'tote', ...args]).then(
    () => 'ran',
    (error: unknown) => error,
  );
}

const commands = buildProgram(io(), () => undefined).commands.map((c) => c.name());

test.each(commands)('%s has examples', (name) => {
  expect(EXAMPLES[name]?.length).toBeGreaterThan(0);
});

test('examples are only given for commands that exist', () => {
  expect(Object.keys(EXAMPLES).filter((name) => !commands.includes(name))).toEqual([]);
});

const examples = Object.entries(EXAMPLES).flatMap(([name, list]) => list.map(([line]) => [name, line] as const));

test.each(examples)('%s: `%s` parses', async (name, line) => {
  const outcome = await parse(line);
  if (outcome instanceof CommanderError) throw new Error(`tote rejects the example: ${outcome.message}`);
  expect(outcome).toBeInstanceOf(Parsed);
  expect((outcome as Parsed).command).toBe(name);
});

test('a wrong example would be caught', async () => {
  expect(await parse('tote get --no-such-option /a')).toBeInstanceOf(CommanderError);
  expect(await parse('tote share /a')).toBeInstanceOf(CommanderError);
});
