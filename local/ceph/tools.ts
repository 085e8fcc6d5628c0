import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs one Ceph tool to completion; the error names the command and carries its stderr. */
export async function runTool(command: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await exec(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}
