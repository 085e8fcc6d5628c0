/** Every command and option of the `tote` CLI, declared in one place; the logic lives in ./commands. */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ShareRole } from '@contract/schemas';
import type { ToteClient } from '../client';
import * as account from './commands/account';
import * as files from './commands/files';
import * as recovery from './commands/recovery';
import type { CommandOutput } from './commands/output';
import * as sharing from './commands/sharing';
import * as syncing from './commands/sync';
import * as transfer from './commands/transfer';
import { addExamples } from './help-examples';
import { loadRunner } from './on-demand';
import { confirm, readSecret } from './prompt';
import type { CliIO, GlobalOptions } from './runner';
import { TOTE_VERSION } from './version';

/** Global options plus every command's own (commander merges them). */
interface Options extends GlobalOptions {
  readonly password?: string;
  readonly force?: boolean;
  readonly role?: ShareRole;
  readonly once?: boolean;
  readonly remote?: string;
  readonly device?: string;
  readonly pollMin?: number;
  readonly pollMax?: number;
  readonly settle?: number;
  readonly revision?: number;
  readonly exclude?: string[];
  readonly include?: string[];
  readonly allowDeletes?: boolean;
  readonly restoreDeletes?: boolean;
  /** `--no-push` sets it false. */
  readonly push?: boolean;
  readonly recursive?: boolean;
  readonly yes?: boolean;
}

type Body = (client: ToteClient, args: readonly string[], options: Options) => Promise<CommandOutput>;

/** The file and the addresses of `share` and `unshare`: the first operand, then all the others. */
const fileAndEmails = (args: readonly string[]): [string, string[]] => [args[0], args.slice(1)];

function concurrencyValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return n;
}

function revisionValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a revision number (1 or more), as `tote versions` lists them');
  return n;
}

/** A repeatable option's values, in order. */
const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

function millisecondsValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3_600_000) throw new InvalidArgumentError('must be a whole number of milliseconds up to an hour');
  return n;
}

/** `onExit` receives the exit code of the command that ran. */
export function buildProgram(io: CliIO, onExit: (code: number) => void): Command {
  const program = new Command('tote')
    .description('Tote: store and fetch files, verified end to end.')
    .version(TOTE_VERSION, '-V, --version', 'print the version of tote')
    .option('--endpoint <url>', 'service URL (default: TOTE_ENDPOINT, else the one from `tote login`, else the local runtime)')
    .option('--state-dir <dir>', 'local state folder (default: TOTE_STATE_DIR or $XDG_STATE_HOME/tote)')
    .option('--config-dir <dir>', 'settings and credentials folder (default: TOTE_CONFIG_DIR or $XDG_CONFIG_HOME/tote)')
    .option('--json', 'print JSON lines (events, then the result or error) instead of text')
    .option('--concurrency <n>', 'parallel chunk transfers (default: TOTE_CONCURRENCY or 8)', concurrencyValue)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const action =
    (name: string, body: Body) =>
    async (...received: unknown[]): Promise<void> => {
      const command = received[received.length - 1] as Command;
      const options = command.optsWithGlobals<Options>();
      const concurrency = options.concurrency ?? (io.env.TOTE_CONCURRENCY ? concurrencyValue(io.env.TOTE_CONCURRENCY) : undefined);
      const { runCommand } = await loadRunner();
      const code = await runCommand(io, { ...options, concurrency }, name, (client) => body(client, command.args, options));
      onExit(code);
    };
  const password = async (options: Options): Promise<string> =>
    options.password ?? io.env.TOTE_PASSWORD ?? (await readSecret('Password: ', { stdin: io.stdin, stderr: io.stderr }));
  const passwordOption = ['--password <password>', 'password (default: TOTE_PASSWORD, else asked for)'] as const;

  program
    .command('signup <email>')
    .description('create an account, then confirm it with the code sent to you')
    .option(...passwordOption)
    .action(action('signup', async (client, [email], options) => account.signup(client, email, await password(options))));
  program
    .command('confirm <email> <code>')
    .description('confirm an account with the code sent at signup')
    .action(action('confirm', (client, [email, code]) => account.confirm(client, email, code)));
  program
    .command('login <email>')
    .description('sign in; the session is kept in the config folder and refreshed as needed')
    .option(...passwordOption)
    .action(action('login', async (client, [email], options) => account.login(client, email, await password(options))));
  program
    .command('logout')
    .description('forget the session for this endpoint')
    .action(action('logout', (client) => account.logout(client)));
  program
    .command('put <local> [remote]')
    .description('upload a file, or a folder with everything in it (remote default: /<name>); to id:<fileId> or shared:<owner-email>/<name>: its next revision')
    .action(action('put', (client, [local, remote]) => transfer.put(client, local, remote)));
  program
    .command('get <remote> [local]')
    .description('download a file (remote: a path, id:<fileId> or shared:<owner-email>/<name>; local default: its name, here), or a folder with everything in it')
    .option('-f, --force', 'replace an existing local file (in a folder: each one that differs)')
    .action(action('get', (client, [remote, local], options) => transfer.get(client, remote, local, { overwrite: options.force === true })));
  program
    .command('ls [folder]')
    .description('list a remote folder (default: /)')
    .action(action('ls', (client, [folder]) => files.ls(client, folder)));
  program
    .command('rm <remote>')
    .description('move a remote file to the trash (restorable for the retention period: tote restore), or with -r a folder and everything in it')
    .option('-r, --recursive', 'remove a folder and everything in it (its files go to the trash as one group)')
    .option('-y, --yes', 'do not ask before removing a folder')
    .action(
      action('rm', (client, [remote], options) =>
        files.rm(client, remote, { recursive: options.recursive === true, confirm: options.yes === true ? undefined : (question) => confirm(question, { stdin: io.stdin, stderr: io.stderr }) }),
      ),
    );
  program
    .command('mkdir <folder>')
    .description('create a remote folder (and the folders above it); an existing one is left as it is')
    .action(action('mkdir', (client, [folder]) => files.mkdir(client, folder)));
  program
    .command('versions <remote>')
    .description('list a file\'s versions: who saved each, from which device, until when it is kept')
    .action(action('versions', (client, [remote]) => recovery.versions(client, remote)));
  program
    .command('restore <remote>')
    .description('bring a deleted file back from the trash (beside its old path if that is taken), or with --revision an earlier version of a file')
    .option('--revision <n>', 'restore this version (from `tote versions`) as the file\'s next revision', revisionValue)
    .action(action('restore', (client, [remote], options) => recovery.restore(client, remote, options.revision)));
  const trash = program
    .command('trash')
    .description('list deleted files: when, from which device, until when they can be restored')
    .action(action('trash', (client) => recovery.trash(client)));
  trash
    .command('purge [remote]')
    .description('delete for good what the trash holds from a path (every deletion of it), or without a path, everything')
    .action(action('trash purge', (client, [remote]) => recovery.purge(client, remote)));
  program
    .command('mv <from> <to>')
    .description('move or rename a remote file or folder with everything in it (a destination ending in / is a folder to move into; nothing is overwritten)')
    .action(action('mv', (client, [from, to]) => files.mv(client, from, to)));
  program
    .command('share <remote> <email...>')
    .description('share a file of yours with people by email; sharing again changes their role')
    .addOption(new Option('--role <role>', 'what they may do: viewer (read) or editor (read and upload new revisions)').choices(['viewer', 'editor']).default('viewer'))
    .action(
      action('share', (client, args, options) => {
        const [remote, emails] = fileAndEmails(args);
        return sharing.share(client, remote, emails, options.role ?? 'viewer');
      }),
    );
  program
    .command('unshare <remote> <email...>')
    .description('stop sharing a file of yours with people (their download links expire within minutes)')
    .action(
      action('unshare', (client, args) => {
        const [remote, emails] = fileAndEmails(args);
        return sharing.unshare(client, remote, emails);
      }),
    );
  program
    .command('collaborators <remote>')
    .description('who a file of yours is shared with, and as what')
    .action(action('collaborators', (client, [remote]) => sharing.collaborators(client, remote)));
  program
    .command('shared')
    .description('files others shared with you, named as `tote get` takes them (shared:<owner-email>/<name>)')
    .action(action('shared', (client) => sharing.shared(client)));
  program
    .command('sync <folder>')
    .description('keep a local folder and your files in sync, until stopped (Ctrl-C); the log is <folder>/.tote/sync.log')
    .option('--once', 'sync once, then exit')
    .option('--remote <path>', 'remote folder to keep in sync with (first run only; default /)')
    .option('--device <name>', 'this device\'s name in conflicted copies (default: the host name)')
    .option('--poll-min <ms>', 'change-feed poll interval while changes flow (default 1000)', millisecondsValue)
    .option('--poll-max <ms>', 'poll interval it backs off to when idle (default 30000)', millisecondsValue)
    .option('--no-push', 'do not listen for the service\'s change hints (WebSocket); only poll')
    .option('--settle <ms>', 'how long a file must be left alone before it is synced (default: 250 ms, longer for a file written slowly, up to 10 s)', millisecondsValue)
    .option('--exclude <remote folder>', 'do not sync this remote folder on this device (repeatable; kept until --include; `tote status` lists them)', collect)
    .option('--include <remote folder>', 'sync an excluded folder again (repeatable)', collect)
    .option('--allow-deletes', 'let a mass delete the sync held back go ahead')
    .option('--restore-deletes', 'bring back here the files of a mass delete the sync held back, instead of deleting them everywhere')
    .action(
      action('sync', (client, [folder], options) =>
        syncing.sync(client, folder, {
          once: options.once === true,
          remote: options.remote,
          device: options.device,
          pollMinMs: options.pollMin,
          pollMaxMs: options.pollMax,
          push: options.push !== false,
          settleMs: options.settle,
          exclude: options.exclude,
          include: options.include,
          allowDeletes: options.allowDeletes,
          restoreDeletes: options.restoreDeletes,
        }),
      ),
    );
  program
    .command('status')
    .description('the state of each folder synced on this machine: up to date, syncing N files, errors, or not running')
    .action(action('status', (client) => syncing.status(client)));
  addExamples(program);
  return program;
}
