/**
 * The README's walk-through as data: every fenced block preceded by a `<!-- walkthrough: <terminal> -->`
 * marker, in order, with the terminal it runs in (`install`, or a person's name: each person's blocks
 * share one shell's folder and exported variables, as a terminal window would).
 */
import { readFileSync } from 'node:fs';

export interface WalkthroughBlock {
  readonly terminal: string;
  readonly code: string;
  /** 1-based line of the block's first command in the README, for failure messages. */
  readonly line: number;
}

const MARKER = /^<!-- walkthrough: ([\w-]+) -->$/;

export function walkthroughBlocks(readmePath: string): WalkthroughBlock[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: WalkthroughBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const terminal = MARKER.exec(lines[i].trim())?.[1];
    if (!terminal) continue;
    if (!/^```(sh|bash)$/.test(lines[i + 1] ?? '')) throw new Error(`README line ${i + 1}: a walkthrough marker must be followed by a \`\`\`sh block`);
    const end = lines.indexOf('```', i + 2);
    if (end < 0) throw new Error(`README line ${i + 2}: the block never closes`);
    blocks.push({ terminal, code: lines.slice(i + 2, end).join('\n'), line: i + 3 });
    i = end;
  }
  return blocks;
}

/** A block's commands without comments and blank lines (a `#` after a space starts a comment, as in sh). */
export function commandsOf(code: string): string[] {
  return code
    .split('\n')
    .map((line) => line.replace(/(^|\s+)#.*$/, '').trim())
    .filter((line) => line.length > 0);
}
