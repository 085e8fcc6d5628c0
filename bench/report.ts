/**
 * The benchmark's tables: printed, and written into BENCHMARKS.md between markers, so the hand-written
 * analysis around them survives a new run. Each kind of run (the default set, --huge, --sweep) owns
 * its own marked block.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Machine } from './machine';

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** How it was measured, under the table. */
  readonly note?: string;
}

export function renderTables(tables: readonly Table[]): string {
  return tables
    .map((t) => {
      const head = `| ${t.columns.join(' | ')} |\n|${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
      const body = t.rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
      return `### ${t.title}\n\n${head}\n${body}\n${t.note ? `\n${t.note}\n` : ''}`;
    })
    .join('\n');
}

/** `s3` names the local runtime's S3; undefined when the run needed no service. */
export function renderMachine(m: Machine, s3: string | undefined, startedLoad: string, endedLoad: string, when: Date): string {
  return [
    `Measured ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC on: ${m.cores} cores (${m.cpu}), ${m.memory} RAM, disk ${m.disk}, Node ${m.node}.`,
    `${s3 === undefined ? '' : `S3: ${s3} in the local runtime. `}Load average (1 / 5 / 15 min) at the start ${startedLoad}, at the end ${endedLoad}: the machine is shared, so figures move with it.`,
  ].join('\n');
}

/** Replaces the block `name` of BENCHMARKS.md (adding it at the end the first time). */
export function writeBlock(file: string, name: string, content: string): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${begin}\n${content.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
