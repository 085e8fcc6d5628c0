/**
 * Terminal windows for the README walk-through: each block runs in bash as written, in the folder and
 * with the exported variables its terminal was left with by the previous block (kept in files between
 * blocks), and fails at the first command that fails. What a person reads off another window, the
 * confirmation code `npm start` prints, is read from the runtime's log instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WalkthroughBlock } from './readme-blocks';

export interface BlockRun {
  readonly code: number | null;
  readonly output: string;
}

/** `tote confirm <email> <code>`: the code a person copies from the `npm start` terminal. */
const CONFIRM = /^(\s*tote confirm (\S+) )\d+/gm;

const PREAMBLE = String.raw`
set -eo pipefail
# The code npm start printed for an email: the last one in the runtime's log (it may take a moment).
confirmation_code() {
  for _ in $(seq 100); do
    code=$(sed -n "s/^Confirmation code for $1: \([0-9]*\).*/\1/p" "$TOTE_WALKTHROUGH_RUNTIME_LOG" 2>/dev/null | tail -n 1)
    if [ -n "$code" ]; then echo "$code"; return 0; fi
    sleep 0.1
  done
  echo "no confirmation code for $1 in $TOTE_WALKTHROUGH_RUNTIME_LOG" >&2
  return 1
}
`;

export class Terminals {
  private runs = 0;

  constructor(
    /** Where each terminal's folder and variables are kept between blocks, and the scripts written. */
    private readonly stateDir: string,
    /** The environment every terminal opens with; it starts in HOME. */
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /** The script a block runs as: its own commands, between restoring and saving its terminal. */
  script(block: WalkthroughBlock): string {
    // set -e cannot see a failure left of && or ||: the walk-through writes one command per line.
    if (/&&|\|\|/.test(block.code)) throw new Error(`README line ${block.line}: write one command per line, without && or ||`);
    const state = join(this.stateDir, block.terminal);
    const code = block.code.replace(CONFIRM, '$1"$(confirmation_code $2)"');
    return [
      PREAMBLE,
      `state=${JSON.stringify(state)}`,
      'if [ -f "$state/env" ]; then source "$state/env"; fi',
      'cd "$(cat "$state/cwd" 2>/dev/null || echo "$HOME")"',
      `# README line ${block.line}, terminal ${block.terminal}`,
      code,
      'export -p > "$state/env"',
      'pwd > "$state/cwd"',
      '',
    ].join('\n');
  }

  run(block: WalkthroughBlock, timeoutMs: number): Promise<BlockRun> {
    const state = join(this.stateDir, block.terminal);
    if (!existsSync(state)) mkdirSync(state, { recursive: true });
    const file = join(this.stateDir, `${String(++this.runs).padStart(2, '0')}-${block.terminal}.sh`);
    writeFileSync(file, this.script(block));
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [file], { cwd: this.env.HOME, env: { ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (b) => (output += b));
      child.stderr.on('data', (b) => (output += b));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }
}
