/**
 * `@validators` as tests and type checks see it: each route's event validator compiled when first
 * asked for. Deployed bundles never contain this module: the build aliases `@validators` to the same
 * validators precompiled into plain functions (lib/precompiled-validators.ts), so neither Ajv's
 * compiler nor the schemas load at a cold start.
 */
import { ROUTE_REQUESTS } from '@contract/route-requests';
import type { RouteId } from '@contract/routes';
import { eventAjv, eventSchema, takesInput, type RouteValidation } from './event-schema';

const compiled = new Map<RouteId, RouteValidation>();
let ajv: ReturnType<typeof eventAjv> | undefined;

export function validationFor(route: RouteId): RouteValidation {
  let validation = compiled.get(route);
  if (validation === undefined) {
    const request = ROUTE_REQUESTS[route];
    ajv ??= eventAjv();
    validation = takesInput(request) ? { hasBody: 'body' in request, validate: ajv.compile(eventSchema(request)) } : { hasBody: false };
    compiled.set(route, validation);
  }
  return validation;
}
