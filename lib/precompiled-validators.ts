/**
 * Request validators compiled at build time. For the routes one function serves, Ajv compiles each
 * route's event schema with the configuration the tests compile with (lambdas/shared/validation/
 * event-schema.ts) and writes them as standalone JavaScript; the function's bundle takes that module
 * in place of `@validators`. A cold start then loads a few plain functions instead of Ajv, TypeBox and
 * the schemas, and compiles nothing.
 */
import standaloneCode from 'ajv/dist/standalone';
import { ROUTE_REQUESTS } from '@contract/route-requests';
import type { RouteId } from '@contract/routes';
import { eventAjv, eventSchema, takesInput } from '../lambdas/shared/validation/event-schema';
import { writeGeneratedModule } from './generated-modules';

/** The module's source: Ajv's standalone code, then `validationFor`, the interface compile-on-load.ts has. */
export function precompiledValidatorsSource(routes: readonly RouteId[]): string {
  const checked = routes.filter((route) => takesInput(ROUTE_REQUESTS[route]));
  const ajv = eventAjv({ source: true });
  for (const route of checked) ajv.addSchema(eventSchema(ROUTE_REQUESTS[route]), route);
  const validators = checked.length > 0 ? standaloneCode(ajv, Object.fromEntries(checked.map((route) => [route, route]))) : '"use strict";';
  const table = routes.map((route) => {
    const validate = checked.includes(route) ? `, validate: exports[${JSON.stringify(route)}]` : '';
    return `  ${JSON.stringify(route)}: { hasBody: ${'body' in ROUTE_REQUESTS[route]}${validate} },`;
  });
  return [
    validators,
    'const routeValidation = {',
    ...table,
    '};',
    'exports.validationFor = (route) => {',
    '  const validation = routeValidation[route];',
    '  if (validation === undefined) throw new Error(`no validator was compiled into this function for route ${route}`);',
    '  return validation;',
    '};',
    '',
  ].join('\n');
}

/** Writes the module for these routes and returns its absolute path. */
export function writePrecompiledValidators(routes: readonly RouteId[]): string {
  return writeGeneratedModule(precompiledValidatorsSource(routes), 'cjs');
}
