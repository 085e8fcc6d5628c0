/**
 * The validators the build compiles into each function (lib/precompiled-validators.ts) judge every
 * request exactly as @middy/validator's own compiler did before them (transpileSchema, with the chain's
 * coerceTypes: false): the same verdict, the same issues (which the error handler turns into the 4xx
 * body) and the same event afterwards (defaults filled in). Requests come from the fuzz suite's
 * generator, so most break one rule of their route's schema and the rest are valid.
 * TOTE_VALIDATOR_SEED replays a run.
 */
import { transpileSchema } from '@middy/validator/transpile';
import fc from 'fast-check';
import { ROUTE_REQUESTS } from '@contract/route-requests';
import { ROUTES, type RouteId } from '@contract/routes';
import { writePrecompiledValidators } from '../../../lib/precompiled-validators';
import { eventSchema, takesInput, type RouteValidation } from '../../../lambdas/shared/validation/event-schema';
import { fuzzCase, type FuzzCase } from '../../fuzz/requests';

type Check = RouteValidation['validate'] & {};

const ROUTE_IDS = Object.keys(ROUTES) as RouteId[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const precompiled = require(writePrecompiledValidators(ROUTE_IDS)) as { validationFor: (route: RouteId) => RouteValidation };
const middyCompiled = new Map<RouteId, Check>();
function middyValidator(route: RouteId): Check {
  let check = middyCompiled.get(route);
  if (check === undefined) {
    check = transpileSchema(eventSchema(ROUTE_REQUESTS[route]), { coerceTypes: false }) as unknown as Check;
    middyCompiled.set(route, check);
  }
  return check;
}

/** The event as API Gateway and the JSON body parser hand it to the validator; undefined when the body is not JSON (the parser answers that). */
function eventOf(c: FuzzCase): Record<string, unknown> | undefined {
  let body: unknown;
  if (c.body !== undefined) {
    try {
      body = JSON.parse(c.body);
    } catch {
      return undefined;
    }
  }
  return {
    ...(c.body !== undefined ? { body } : {}),
    ...(c.query.length > 0 ? { queryStringParameters: Object.fromEntries(c.query) } : {}),
    ...(Object.keys(c.params).length > 0 ? { pathParameters: c.params } : {}),
  };
}

function judged(check: Check, event: Record<string, unknown>) {
  const copy = structuredClone(event);
  const valid = check(copy);
  return { valid, errors: JSON.parse(JSON.stringify(check.errors ?? null)) as unknown, event: copy };
}

describe('precompiled request validators', () => {
  it('carry one validator per route that takes input, none for health', () => {
    for (const route of ROUTE_IDS) {
      const validation = precompiled.validationFor(route);
      expect(validation.hasBody).toBe('body' in ROUTE_REQUESTS[route]);
      expect(typeof validation.validate).toBe(takesInput(ROUTE_REQUESTS[route]) ? 'function' : 'undefined');
    }
  });

  it('judge generated requests exactly as the runtime-compiled validators', () => {
    const seed = Number(process.env.TOTE_VALIDATOR_SEED ?? Date.now() % 2 ** 31);
    const ctx = { foreignStrings: ['0123456789abcdef0123456789abcdef', 'someone-elses-file'], maxArray: 5, maxString: 100 };
    let compared = 0;
    try {
      fc.assert(
        fc.property(fuzzCase(ctx), (c) => {
          const event = eventOf(c);
          const check = precompiled.validationFor(c.route).validate;
          if (event === undefined || check === undefined) return;
          compared++;
          expect(judged(check, event)).toEqual(judged(middyValidator(c.route), event));
        }),
        { seed, numRuns: 120 },
      );
    } catch (error) {
      throw new Error(`TOTE_VALIDATOR_SEED=${seed} replays this: ${String(error)}`);
    }
    expect(compared).toBeGreaterThan(60);
  });
});
