/**
 * The examples `tote --help` and `tote <command> --help` end with. One entry per command, keyed by
 * its name: a new command adds its examples here (a unit test fails for a command without any, and
 * parses every example against the program so none goes stale).
 */
import type { Command } from 'commander';

/** A command line as a person types it, and what it does. */
export type Example = readonly [commandLine: string, what: string];

export const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  signup: [
    ['tote signup alice@example.com', 'asks for a password (12+ characters: upper, lower, digit, symbol)'],
    ['tote --endpoint https://api.example.com signup alice@example.com', 'on a deployed service; the code arrives by email'],
  ],
  confirm: [['tote confirm alice@example.com 123456', 'the code sent at sign-up (locally: printed by `npm start`)']],
  login: [
    ['tote login alice@example.com', 'asks for the password; keeps the session'],
    ['printf "%s\\n" "$PASSWORD" | tote login alice@example.com', 'the password from a pipe'],
  ],
  logout: [['tote logout', 'forget the session for this endpoint']],
  put: [
    ['tote put notes.txt', 'upload to /notes.txt'],
    ['tote put video.bin /videos/', 'upload into the folder /videos'],
    ['tote put photos /albums/2024', 'a folder with everything in it'],
    ['tote put notes.txt shared:bob@example.com/plan.txt', 'a new revision of a file bob shared with you as editor'],
  ],
  get: [
    ['tote get /notes.txt', 'download into the current folder'],
    ['tote get /videos/video.bin copy.bin', 'download under another name'],
    ['tote get shared:alice@example.com/video.bin', 'a file alice shared with you'],
    ['tote get /albums/2024 ~/Pictures', 'a folder with everything in it, into ~/Pictures/2024'],
    ['tote get --force /notes.txt', 'replace the local notes.txt'],
  ],
  ls: [
    ['tote ls', 'your top folder'],
    ['tote ls /videos', 'one folder'],
  ],
  rm: [
    ['tote rm /docs/notes.txt', 'move a file to the trash (tote restore brings it back)'],
    ['tote rm -r /old-projects', 'a folder and everything in it, after asking (one group in the trash)'],
    ['tote rm -r --yes /tmp-build', 'without asking (scripts)'],
  ],
  mkdir: [['tote mkdir /albums/2026', 'an empty folder (and /albums if missing)']],
  versions: [['tote versions /docs/notes.txt', 'every version kept: who saved it, from which device, until when']],
  restore: [
    ['tote restore /docs/notes.txt', 'a deleted file back from the trash (beside its path if that is taken)'],
    ['tote restore /docs/notes.txt --revision 2', 'version 2 back as the newest; no bytes are sent'],
  ],
  trash: [
    ['tote trash', 'what was deleted, when, from which device, until when it can be restored'],
    ['tote trash purge /docs/notes.txt', 'delete every trashed copy of a path for good'],
    ['tote trash purge', 'empty the trash'],
  ],
  mv: [
    ['tote mv /notes.txt /docs/', 'move into a folder'],
    ['tote mv /docs/notes.txt /docs/todo.txt', 'rename'],
    ['tote mv /albums/2024 /albums/2024-summer', 'rename a folder with everything in it, in one request'],
    ['tote mv /albums/2024 /archive/', 'move a folder into another'],
  ],
  share: [
    ['tote share /videos/video.bin bob@example.com', 'bob may read and download it'],
    ['tote share /plan.txt bob@example.com carol@example.com --role editor', 'they may upload new revisions too'],
  ],
  unshare: [['tote unshare /videos/video.bin bob@example.com', 'bob loses access on his next request']],
  collaborators: [['tote collaborators /videos/video.bin', 'who it is shared with, and as what']],
  shared: [['tote shared', 'files others shared with you, named as `tote get` takes them']],
  sync: [
    ['tote sync ~/Tote', 'keep ~/Tote and your account in sync until Ctrl-C'],
    ['tote sync ~/Tote --once', 'one pass, then exit'],
    ['tote sync ~/Work --remote /work', 'sync a folder with one remote folder only'],
  ],
  status: [['tote status', 'each synced folder: up to date, syncing, errors, or not running']],
};

/** The program's own examples: a first session, start to end. */
const TOP_LEVEL: readonly Example[] = [
  ['tote signup alice@example.com', 'create an account'],
  ['tote login alice@example.com', 'sign in'],
  ['tote put video.bin /videos/', 'upload'],
  ['tote ls /videos', 'list'],
  ['tote get /videos/video.bin', 'download'],
  ['tote sync ~/Tote', 'keep a folder in sync'],
];

export function formatExamples(examples: readonly Example[]): string {
  const width = Math.max(...examples.map(([line]) => line.length));
  return ['Examples:', ...examples.map(([line, what]) => `  $ ${line.padEnd(width)}   # ${what}`)].join('\n');
}

/** Ends the program's help and each command's with its examples. */
export function addExamples(program: Command): void {
  program.addHelpText('after', `\n${formatExamples(TOP_LEVEL)}\n\nEach command's options and examples: tote <command> --help\n`);
  for (const command of program.commands) {
    const examples = EXAMPLES[command.name()];
    if (examples) command.addHelpText('after', `\n${formatExamples(examples)}\n`);
  }
}
