/**
 * Chromium's memory while the bench drives it, per process, from /proc: the tab (the largest renderer:
 * the page and its workers, whose JS heaps, ArrayBuffers and WebAssembly memories all live there), the
 * browser process (Blob storage, the origin private file system's writes, downloads), the network
 * service (response bodies before the page takes them), and all of Chromium's processes together as
 * proportional set sizes (PSS: a page shared by several processes, such as a data pipe's shared
 * memory, is split among them instead of counted in each, which summing resident sizes would do).
 * Peaks sampled every 100 ms, beside the page's JS heap from the DevTools protocol.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

type Role = 'tab' | 'browser' | 'network' | 'other';

/** Peaks of one transfer in the browser, in bytes. */
export interface Footprint {
  /** The tab's resident size when the transfer started. */
  readonly tabBefore: number;
  /** The page's JS heap (main thread; ArrayBuffers' bytes and the workers are outside it). */
  readonly heap: number;
  /** Resident sizes. */
  readonly tab: number;
  readonly browser: number;
  readonly network: number;
  /** All Chromium processes together, PSS. */
  readonly chromium: number;
}

interface ChromiumProcess {
  readonly pid: number;
  readonly role: Role | 'renderer';
}

/** Chromium's processes among this process's descendants (the browsers the bench launched). */
async function chromiumProcesses(): Promise<ChromiumProcess[]> {
  const parentOf = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parentOf.set(Number(name), ppid);
  }
  const isOurs = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  const ours = [...parentOf.keys()].filter(isOurs);
  const lines = await Promise.all(ours.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return ours.flatMap((pid, i) => (lines[i].includes('chrom') ? [{ pid, role: roleOf(lines[i]) }] : []));
}

function roleOf(cmdline: string): ChromiumProcess['role'] {
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'utility' && cmdline.includes('NetworkService')) return 'network';
  return 'other';
}

/** Rss and Pss of a process, in bytes (0 once it is gone). */
async function sizes(pid: number): Promise<{ rss: number; pss: number }> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const field = (name: string) => 1024 * Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: field('Rss'), pss: field('Pss') };
}

/** Runs `work` while sampling the peaks of Chromium's memory every 100 ms. */
export async function withFootprint<T>(page: Page, work: () => Promise<T>): Promise<{ value: T; footprint: Footprint }> {
  const processes = await chromiumProcesses();
  const cdp = await page.context().newCDPSession(page);
  const rssOf = async (role: ChromiumProcess['role']) =>
    Math.max(0, ...(await Promise.all(processes.filter((p) => p.role === role).map(async (p) => (await sizes(p.pid)).rss))));
  const peak = { tabBefore: await rssOf('renderer'), heap: 0, tab: 0, browser: 0, network: 0, chromium: 0 };
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const [{ usedSize }, all] = await Promise.all([
        cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 })) as Promise<{ usedSize: number }>,
        Promise.all(processes.map((p) => sizes(p.pid))),
      ]);
      const largest = (role: ChromiumProcess['role']) => Math.max(0, ...all.filter((_, i) => processes[i].role === role).map((s) => s.rss));
      peak.heap = Math.max(peak.heap, usedSize);
      peak.tab = Math.max(peak.tab, largest('renderer'));
      peak.browser = Math.max(peak.browser, largest('browser'));
      peak.network = Math.max(peak.network, largest('network'));
      peak.chromium = Math.max(peak.chromium, all.reduce((sum, s) => sum + s.pss, 0));
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const sampler = sample();
  try {
    return { value: await work(), footprint: peak };
  } finally {
    sampling = false;
    await sampler;
    await cdp.detach().catch(() => undefined);
  }
}
