/**
 * Fault plans: which request gets which fault. Seeded, so a failing run can be replayed with the
 * seed it printed (timing still varies: concurrent requests arrive in any order). A request that
 * follows a faulted one to the same destination and path always passes, so every retry loop makes
 * progress however unlucky the draw.
 */
import type { Fault, FaultPlan, ProxiedRequest } from './fault-proxy';

export type Traffic = 'api' | 'storage-put' | 'storage-get' | 'other';

/** The seed of this run: TOTE_FAULT_SEED replays one. */
export function faultSeed(): number {
  const given = process.env.TOTE_FAULT_SEED;
  return given ? Number(given) : Math.floor(Math.random() * 1_000_000);
}

/** mulberry32: a small, fast, well-mixed PRNG; [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What a request is, from where it goes: the API, or storage (presigned PUTs, signed GETs of chunks and of packs' ranges). */
export function trafficOf(request: ProxiedRequest, apiOrigin: string): Traffic {
  if (request.upstream === apiOrigin) return 'api';
  if (request.method === 'PUT') return 'storage-put';
  if (request.method === 'GET' && (request.path.startsWith('/chunks/') || request.path.startsWith('/packs/'))) return 'storage-get';
  return 'other';
}

export interface PlanOptions {
  readonly seed: number;
  readonly apiOrigin: string;
  /** Chance that a request of each kind of traffic gets a fault (otherwise it passes). */
  readonly rate: Partial<Record<Traffic, number>>;
  /** The faults to draw from, per kind of traffic. */
  readonly faults: Partial<Record<Traffic, readonly Fault[]>>;
  /** Faults certain to happen: each to the first request of its kind of traffic (and path, if given). */
  readonly first?: readonly FirstFault[];
}

export interface FirstFault {
  readonly traffic: Traffic;
  readonly path?: string | RegExp;
  readonly fault: Fault;
}

const matches = (path: string, wanted: string | RegExp | undefined) =>
  wanted === undefined || (typeof wanted === 'string' ? path === wanted : wanted.test(path));

export function randomFaults(options: PlanOptions): FaultPlan {
  const random = seededRandom(options.seed);
  const certain = [...(options.first ?? [])];
  const faultedLast = new Set<string>();
  return (request) => {
    const traffic = trafficOf(request, options.apiOrigin);
    const key = `${request.method} ${request.upstream}${request.path}`;
    const due = certain.findIndex((f) => f.traffic === traffic && matches(request.path, f.path));
    const fixed = due >= 0 ? certain.splice(due, 1)[0].fault : undefined;
    const pool = options.faults[traffic] ?? [];
    const drawn = random() < (options.rate[traffic] ?? 0) && pool.length > 0 ? pool[Math.floor(random() * pool.length)] : undefined;
    const fault = fixed ?? (faultedLast.has(key) ? undefined : drawn);
    if (fault === undefined || fault.kind === 'pass') {
      faultedLast.delete(key);
      return { kind: 'pass' };
    }
    faultedLast.add(key);
    return fault;
  };
}
