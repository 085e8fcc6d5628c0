/**
 * Produces the cloud assembly the runtime serves: reuses one synthesized from the same sources
 * (see fingerprint.ts), or runs lib/app.ts's buildApp + app.synth() in a child process (child.ts) with
 * its output in the synth log. Assemblies are written under a temporary name and renamed into place,
 * so runtimes sharing a cache directory never see half of one.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killWithParent } from '../process/child';
import type { CfnTemplate } from '../template/types';
import { sourceFingerprint } from './fingerprint';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SynthResult {
  readonly assemblyDir: string;
  readonly template: CfnTemplate;
  readonly stackName: string;
  readonly cached: boolean;
}

interface SynthRecord {
  readonly templateFile: string;
  readonly stackName: string;
}

const RECORD = 'tote-local-synth.json';
/** Assemblies kept per cache directory: the current one and a few a still-running runtime may use. */
const KEEP = 3;

export async function synthesize(opts: { cacheDir: string; logFile: string }): Promise<SynthResult> {
  const assemblyDir = path.join(opts.cacheDir, sourceFingerprint(REPO_ROOT));
  const cached = fs.existsSync(path.join(assemblyDir, RECORD));
  if (!cached) {
    const staging = `${assemblyDir}.staging-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    const record = await runSynthChild(staging, opts.logFile).catch((err: Error) => {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    });
    fs.writeFileSync(path.join(staging, RECORD), JSON.stringify(record));
    try {
      fs.renameSync(staging, assemblyDir);
    } catch {
      // Another runtime finished the same assembly first; theirs is identical.
      fs.rmSync(staging, { recursive: true, force: true });
    }
    prune(opts.cacheDir);
  }
  const record = JSON.parse(fs.readFileSync(path.join(assemblyDir, RECORD), 'utf8')) as SynthRecord;
  const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, record.templateFile), 'utf8')) as CfnTemplate;
  return { assemblyDir, template, stackName: record.stackName, cached };
}

function runSynthChild(outdir: string, logFile: string): Promise<SynthRecord> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  return new Promise<SynthRecord>((resolve, reject) => {
    let record: SynthRecord | undefined;
    const child = fork(path.join(__dirname, 'child.ts'), [outdir], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', log, log, 'ipc'],
    });
    killWithParent(child);
    child.once('message', (message: { templateFile: string; stackName: string }) => {
      record = { templateFile: path.relative(outdir, message.templateFile), stackName: message.stackName };
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      fs.closeSync(log);
      if (code === 0 && record) return resolve(record);
      reject(new Error(`CDK synth failed (exit ${code}):\n${tail(logFile, 25)}\n(full log: ${logFile})`));
    });
  });
}

function tail(file: string, lines: number): string {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function prune(cacheDir: string): void {
  const assemblies = fs
    .readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.includes('.staging-'))
    .map((entry) => ({ dir: path.join(cacheDir, entry.name), mtime: fs.statSync(path.join(cacheDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of assemblies.slice(KEEP)) fs.rmSync(dir, { recursive: true, force: true });
}
