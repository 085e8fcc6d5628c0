/**
 * How a route's request is validated: one JSON Schema over the whole API Gateway event (so one pass
 * names any bad field in body, query or params) and the one Ajv configuration that compiles it. The
 * build precompiles with exactly this (lib/precompiled-validators.ts); tests compile it on load.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Type, type TSchema } from '@sinclair/typebox';
import type { RouteRequest } from '@contract/route-requests';

/** What the handler chain needs of a route: whether to parse a JSON body, and the event check (none for a route without input). */
export interface RouteValidation {
  readonly hasBody: boolean;
  readonly validate?: ValidateFunction;
}

/** True when the route takes any input to check (health takes none, so its function carries no validator). */
export const takesInput = (request: RouteRequest): boolean => Boolean(request.body ?? request.query ?? request.params);

export function eventSchema(request: RouteRequest): TSchema {
  return Type.Object({
    ...(request.body ? { body: request.body } : {}),
    // API Gateway omits queryStringParameters when there are none.
    ...(request.query ? { queryStringParameters: Type.Optional(request.query) } : {}),
    ...(request.params ? { pathParameters: request.params } : {}),
  });
}

/**
 * @middy/validator's compiler settings (transpileSchema), minus its plugins' keywords, which no
 * schema of ours uses (strict mode fails the build if one ever does): every issue reported so the
 * error handler can list them, no coercion (query strings and path parameters are strings and the
 * schemas say so). `source` keeps the generated code for standalone output.
 */
export function eventAjv(opts: { readonly source?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, coerceTypes: false, allErrors: true, useDefaults: 'empty', messages: true, code: { source: opts.source ?? false } });
  addFormats(ajv);
  return ajv;
}
