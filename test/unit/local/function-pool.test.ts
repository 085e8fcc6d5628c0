/** The Lambda stand-in with real worker threads and handler files written for each test. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFunctionPool, type FunctionPool } from '../../../local/lambda/function-pool';
import type { FunctionModel } from '../../../local/template/functions';

let dir: string;
const pools: FunctionPool[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-pool-'));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.stop()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function pool(source: string, opts: { timeoutSeconds?: number; maxWorkers?: number; env?: Record<string, string>; ext?: string } = {}) {
  const entryFile = path.join(dir, `${Math.random().toString(36).slice(2)}${opts.ext ?? '.js'}`);
  fs.writeFileSync(entryFile, source);
  const fn: FunctionModel = {
    logicalId: 'Fn',
    name: 'Tote-Fn',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:Tote-Fn',
    entryFile,
    exportName: 'handler',
    timeoutSeconds: opts.timeoutSeconds ?? 3,
    memoryMb: 256,
    environment: {},
    asyncRetries: 2,
  };
  const logs: string[] = [];
  const created = createFunctionPool(fn, { env: opts.env ?? {}, maxWorkers: opts.maxWorkers ?? 2, onLog: (_, line) => logs.push(line) });
  pools.push(created);
  return { pool: created, logs };
}

test('a handler sees its own environment and the Lambda context, and its result comes back as JSON', async () => {
  // Prepare
  const { pool: fn, logs } = pool(
    `exports.handler = async (event, ctx) => { console.log('hello'); return { got: event.n, table: process.env.TABLE, name: ctx.functionName, left: ctx.getRemainingTimeInMillis() > 0, when: new Date(0) }; };`,
    { env: { TABLE: 'Tote-Files' } },
  );

  // Act
  const result = await fn.invoke({ n: 7 });

  // Assess
  expect(result).toEqual({ ok: true, payload: { got: 7, table: 'Tote-Files', name: 'Tote-Fn', left: true, when: '1970-01-01T00:00:00.000Z' } });
  await new Promise((r) => setTimeout(r, 50));
  expect(logs).toContain('hello');
});

test('module state survives between invocations of a warm worker', async () => {
  // Prepare
  const { pool: fn } = pool('let calls = 0; exports.handler = async () => ++calls;');

  // Act
  const first = await fn.invoke({});
  const second = await fn.invoke({});

  // Assess
  expect([first, second]).toEqual([{ ok: true, payload: 1 }, { ok: true, payload: 2 }]);
});

test('a thrown error is a failed invocation with its type and message', async () => {
  // Prepare
  const { pool: fn } = pool(`exports.handler = async () => { const e = new Error('no such table'); e.name = 'ResourceNotFound'; throw e; };`);

  // Act + Assess
  expect(await fn.invoke({})).toMatchObject({ ok: false, errorType: 'ResourceNotFound', errorMessage: 'no such table' });
});

test('an invocation past the timeout fails as Lambda reports it, and the next one gets a fresh worker', async () => {
  // Prepare
  const { pool: fn } = pool('let calls = 0; exports.handler = async (e) => { calls++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return calls; };', {
    timeoutSeconds: 0.3,
  });

  // Act
  const timedOut = await fn.invoke({ hang: true });
  const next = await fn.invoke({});

  // Assess
  expect(timedOut).toMatchObject({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.30 seconds' });
  expect(next).toEqual({ ok: true, payload: 1 });
});

test("a cold start's module load is init time, not invocation time: a load slower than the timeout still serves", async () => {
  // Prepare: the module takes 600 ms to load (as a big bundle does on a busy machine), the timeout is 300 ms
  const { pool: fn } = pool(
    'const until = Date.now() + 600; while (Date.now() < until); exports.handler = async (e, ctx) => ctx.getRemainingTimeInMillis() > 0 && e.n;',
    { timeoutSeconds: 0.3 },
  );

  // Act
  const result = await fn.invoke({ n: 5 });

  // Assess
  expect(result).toEqual({ ok: true, payload: 5 });
});

test('concurrent invocations beyond the cap wait for a worker instead of failing', async () => {
  // Prepare
  const { pool: fn } = pool('exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 100)); return e.i; };', { maxWorkers: 2 });

  // Act
  const results = await Promise.all([0, 1, 2, 3, 4].map((i) => fn.invoke({ i })));

  // Assess
  expect(results.map((r) => (r.ok ? r.payload : r))).toEqual([0, 1, 2, 3, 4]);
});

test('a missing export fails the invocation naming it', async () => {
  // Prepare
  const { pool: fn } = pool('exports.other = async () => 1;');

  // Act + Assess
  expect(await fn.invoke({})).toMatchObject({ ok: false, errorType: 'Runtime.HandlerNotFound' });
});

test('an ES module bundle (.mjs) is imported rather than required', async () => {
  // Prepare
  const { pool: fn } = pool('export const handler = async (event) => ({ esm: true, n: event.n });', { ext: '.mjs' });

  // Act + Assess
  expect(await fn.invoke({ n: 1 })).toEqual({ ok: true, payload: { esm: true, n: 1 } });
});
