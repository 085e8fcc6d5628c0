import { WorkBudget, withinBudget } from '@domain/budget';
import { timeBudget } from '@shared/time-budget';
import { ENV } from '@contract/env';

/** A budget that says yes `n` times (after the first unit, which never asks). */
const yesTimes = (n: number) => {
  let asked = 0;
  return () => ++asked <= n;
};

describe('withinBudget', () => {
  it('starts the first unit even with no time, and none after it', async () => {
    const ran: number[] = [];

    const results = await withinBudget([1, 2, 3], () => false, async (u) => ran.push(u));

    expect(ran).toEqual([1]);
    expect(results).toEqual([1, undefined, undefined]);
  });

  it('leaves out only the last units, also when units run side by side and the budget is asked out of order', async () => {
    const units = Array.from({ length: 40 }, (_, i) => i);
    const ran: number[] = [];

    const results = await withinBudget(
      units,
      yesTimes(12),
      async (u) => {
        await new Promise((resolve) => setTimeout(resolve, (u * 7) % 5));
        ran.push(u);
        return u * 2;
      },
      4,
    );

    expect([...ran].sort((a, b) => a - b)).toEqual(units.slice(0, 13));
    expect(results).toEqual(units.map((u) => (u < 13 ? u * 2 : undefined)));
  });

  it('shares one budget between stages: the first unit of the request only is free, and once out of time it stays out', async () => {
    const budget = new WorkBudget(yesTimes(2));

    const first = await withinBudget(['a', 'b'], budget, async (u) => u);
    const second = await withinBudget(['c', 'd', 'e'], budget, async (u) => u);
    const third = await withinBudget(['f'], budget, async (u) => u);

    expect([first, second, third]).toEqual([['a', 'b'], ['c', undefined, undefined], [undefined]]);
  });
});

describe('timeBudget', () => {
  afterEach(() => delete process.env[ENV.batchBudgetMs]);
  const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });

  it('lasts the remaining time less the reserve', () => {
    let now = 1_000;
    const inTime = timeBudget(context(29_000), 8_000, () => now);

    now += 20_999;
    expect(inTime()).toBe(true);
    now += 1;
    expect(inTime()).toBe(false);
  });

  it(`is capped by ${ENV.batchBudgetMs} where set`, () => {
    process.env[ENV.batchBudgetMs] = '50';
    let now = 0;
    const inTime = timeBudget(context(29_000), 8_000, () => now);

    now = 49;
    expect(inTime()).toBe(true);
    now = 50;
    expect(inTime()).toBe(false);
  });

  it('refuses a setting that is not whole milliseconds', () => {
    process.env[ENV.batchBudgetMs] = 'soon';

    expect(() => timeBudget(context(29_000), 8_000)).toThrow(ENV.batchBudgetMs);
  });
});
