/**
 * Asking a person: a password without echoing it, a yes or no.
 *
 * A password without echoing it. From a terminal: raw mode, nothing shown. From a pipe:
 * the first line of stdin (so `printf '%s\n' "$PW" | tote login me@example.com` works).
 */
import { ToteError } from '../core/errors';

export interface PromptIO {
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: { write(text: string): unknown };
}

export async function readSecret(question: string, io: PromptIO): Promise<string> {
  const value = io.stdin.isTTY ? await readHidden(question, io) : await readFirstLine(io.stdin);
  if (value.length === 0) throw new ToteError('USAGE', 'no password given');
  return value;
}

function readHidden(question: string, io: PromptIO): Promise<string> {
  const { stdin } = io;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (finish: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      finish();
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => reject(new ToteError('USAGE', 'cancelled')));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readFirstLine(stdin: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  }
  return text;
}

/**
 * Asks a yes-or-no question on the terminal; only `y` or `yes` is a yes. Without a terminal there is
 * nobody to ask: that is an error, so a script says what it means (`--yes`) instead of deleting by default.
 */
export async function confirm(question: string, io: PromptIO): Promise<boolean> {
  if (!io.stdin.isTTY) throw new ToteError('USAGE', 'not asking without a terminal: pass --yes to go ahead');
  io.stderr.write(`${question} [y/N] `);
  const answer = await readFirstLine(io.stdin);
  io.stdin.pause();
  return /^\s*y(es)?\s*$/i.test(answer);
}
