/**
 * One fuzz campaign: `runs` cases from `seed` (fast-check, which shrinks a failing case to a
 * smallest one), each sent and judged (exchange.ts), and the whole store compared before and after.
 * The store is also compared every `stateEvery` cases, so a change is pinned to the cases since the
 * last comparison; from then on the remaining cases are skipped. Shared by the jest test (fixed seed,
 * a modest count) and `npm run fuzz` (any seed, any count).
 */
import fc from 'fast-check';
import { send, verdict, type Answer } from './exchange';
import { fuzzCase, type FuzzCase } from './requests';
import { stateDiff, type StoredState } from './state';
import type { World } from './world';

export interface CampaignOptions {
  readonly seed: number;
  readonly runs: number;
  /** Compare the store every this many cases (and always at the end). */
  readonly stateEvery: number;
  readonly onProgress?: (done: number) => void;
}

export interface CampaignReport {
  readonly seed: number;
  /** Cases sent, shrinking included. */
  readonly sent: number;
  /** Statuses seen, by `route fault status`. */
  readonly tally: ReadonlyMap<string, number>;
  /** fast-check's report of the smallest failing case, if any. */
  readonly failure?: string;
  /** What changed in the store, and the cases sent since it was last found unchanged. */
  readonly stateChange?: { readonly added: string[]; readonly removed: string[]; readonly cases: FuzzCase[] };
}

/** Arrays past this many items are cut: the contract allows 40,000 chunks, which costs time, not coverage. */
const MAX_ARRAY = 4;

export async function runCampaign(world: World, options: CampaignOptions): Promise<CampaignReport> {
  const baseline = await quiescentState(world);
  const tally = new Map<string, number>();
  let sent = 0;
  let window: FuzzCase[] = [];
  let stateChange: CampaignReport['stateChange'];

  const compare = async () => {
    const diff = stateDiff(baseline, await world.state.read());
    if (diff.added.length > 0 || diff.removed.length > 0) stateChange = { ...diff, cases: window };
    window = [];
  };

  const property = fc.asyncProperty(fuzzCase({ foreignStrings: world.foreign, maxArray: MAX_ARRAY }), async (c) => {
    if (stateChange) return;
    let answer: Answer;
    const previous = window.at(-1);
    try {
      answer = await send(world, c);
    } catch (err) {
      // A connection the server dropped may be the previous request's doing (it shared the connection).
      throw new Error(`${(err as Error).message}; the request before it: ${JSON.stringify(previous)}`);
    } finally {
      sent++;
      window.push(c);
    }
    const key = `${c.route} ${c.fault} ${answer.status}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    options.onProgress?.(sent);
    const problem = verdict(c, answer);
    if (problem) throw new Error(`${c.route}: ${c.defect}: ${problem}`);
    if (sent % options.stateEvery === 0) await compare();
  });

  let failure: string | undefined;
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs, includeErrorInReport: true });
  if (details.failed) failure = fc.defaultReportMessage(details);
  if (!stateChange) await compare();
  return { seed: options.seed, sent, tally, ...(failure ? { failure } : {}), ...(stateChange ? { stateChange } : {}) };
}

/** The store once nothing changes it any more (the fixture's last chunk registrations may still be landing). */
async function quiescentState(world: World): Promise<StoredState> {
  let last = await world.state.read();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await world.state.read();
    const { added, removed } = stateDiff(last, now);
    if (added.length === 0 && removed.length === 0) return now;
    last = now;
  }
  throw new Error('the store kept changing for 10 s before the campaign');
}

/** The tally as a table: one row per route and fault, statuses with counts. */
export function tallyTable(report: CampaignReport): string {
  const rows = new Map<string, string[]>();
  for (const [key, count] of [...report.tally].sort(([a], [b]) => a.localeCompare(b))) {
    const [route, fault, status] = key.split(' ');
    const row = `${route} ${fault}`;
    rows.set(row, [...(rows.get(row) ?? []), `${status}×${count}`]);
  }
  return [...rows].map(([row, statuses]) => `${row.padEnd(36)} ${statuses.join(' ')}`).join('\n');
}
