/** Timing, throughput and memory of what the benchmark runs. */
import { readFile } from 'node:fs/promises';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
  /** CPU this process spent meanwhile (user + system), in seconds. */
  readonly cpuSeconds: number;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Decimal megabytes per second, as network and disk figures are usually given. */
export const mbPerSecond = (bytes: number, seconds: number) => bytes / 1e6 / seconds;

/**
 * Peak resident memory of another process: its VmHWM (the kernel's high-water mark), read until the
 * process is gone. The last reading before it exits is the peak of its whole run.
 */
export function watchPeakRss(pid: number, everyMs = 250): { stop(): number } {
  let peakKb = 0;
  const read = async () => {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // Gone: the last reading stands.
    }
  };
  void read();
  const timer = setInterval(() => void read(), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peakKb * 1024;
    },
  };
}

export const fixed = (n: number, digits = 1) => n.toFixed(digits);
export const mib = (bytes: number) => `${fixed(bytes / MiB)} MiB`;

/** The nearest-rank percentile `p` (0-100) of values sorted ascending. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
