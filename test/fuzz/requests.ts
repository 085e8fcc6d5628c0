/**
 * Requests the fuzz suite sends: for every route of the contract (contract/routes.ts), from the
 * schemas it accepts (contract/route-requests.ts), each request carrying at least one fault that
 * makes it one the service must refuse, so a 2xx is itself a finding:
 *
 * - `schema`: a body, query or path parameter the route's schema refuses (malformed JSON, wrong
 *   types, missing or unknown fields, strings past their limits or patterns, arrays past their size);
 * - `media`: a body that is not sent as JSON;
 * - `free-text`: a path or cursor holding a control character or an unpaired surrogate;
 * - `foreign`: a well-formed request whose path parameters name other users' things, or nothing;
 * - `token`: no token, a malformed, forged, expired, other-client or ID token.
 *
 * Around the fault everything else is generated valid, hostile where the schema allows (any Unicode,
 * lengths at the limit, other users' ids), plus stray headers and query parameters. Routes without
 * an authorizer (health) get the stray parts only and must merely not fail.
 */
import fc from 'fast-check';
import { ROUTE_REQUESTS, type RouteRequest } from '@contract/route-requests';
import { ROUTES, type RouteId, type RouteSpec } from '@contract/routes';
import { fieldName, freeTextFields, invalidStrings, invalidValue, poisonedText, validValue, type Defect, type FieldPath, type Schema, type ValueContext } from './schema-values';

export type FaultKind = 'schema' | 'media' | 'free-text' | 'foreign' | 'token' | 'none';

export type TokenKind = 'access' | 'none' | 'garbage' | 'id' | 'expired' | 'forged' | 'other-client';

export interface FuzzCase {
  readonly route: RouteId;
  readonly fault: FaultKind;
  /** What makes the request one to refuse. */
  readonly defect: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string>>;
  readonly token: TokenKind;
  /** Sent as is; undefined sends no body. */
  readonly body?: string;
}

/**
 * Longest valid string put in a URL: API Gateway takes 10 KB of request line and headers, and a
 * character can take 12 once percent-encoded; longer ones are the gateway's to refuse, before any route.
 */
const URL_STRING_MAX = 600;

type Part = Omit<FuzzCase, 'route' | 'fault' | 'headers' | 'token'> & { readonly headers?: Record<string, string>; readonly token?: TokenKind };

const asSchema = (schema: unknown) => schema as Schema;

/** Query strings and path parameters as the wire carries them: every string field, by name. */
function stringFields(schema: Schema | undefined): [string, Schema][] {
  return Object.entries(schema?.properties ?? {});
}

const asPairs = (value: unknown): [string, string][] => Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]);

export function fuzzCase(ctx: ValueContext): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...(Object.keys(ROUTES) as RouteId[])).chain((route) => routeCase(route, ctx));
}

function routeCase(route: RouteId, ctx: ValueContext): fc.Arbitrary<FuzzCase> {
  const spec: RouteSpec = ROUTES[route];
  const request: RouteRequest = ROUTE_REQUESTS[route];
  const valid = validParts(request, ctx);
  const faults: fc.WeightedArbitrary<[FaultKind, Part]>[] = [];
  const add = (weight: number, fault: FaultKind, part: fc.Arbitrary<Part>) => faults.push({ weight, arbitrary: part.map((p): [FaultKind, Part] => [fault, p]) });
  if (!spec.auth) {
    add(1, 'none', valid.map((p) => ({ ...p, defect: 'nothing: a public route' })));
  } else {
    add(1, 'token', tokenFault(valid));
    if (request.body) {
      add(4, 'schema', bodyFault(request, ctx));
      add(1, 'media', mediaFault(valid));
    }
    if (request.query) add(3, 'schema', queryFault(request, ctx));
    if (request.params) {
      add(2, 'schema', paramsFault(request, ctx));
      add(3, 'foreign', valid.map((p) => ({ ...p, defect: `${Object.values(p.params).join(', ')} names nothing of the caller's` })));
    }
    const freeText = freeTextFault(request, ctx);
    if (freeText) add(2, 'free-text', freeText);
  }
  return fc.tuple(fc.oneof(...faults), strayHeaders(), strayQuery(request)).map(([[fault, part], headers, stray]) => ({
    route,
    fault,
    defect: part.defect,
    params: part.params,
    query: [...part.query, ...stray],
    headers: { ...headers, ...part.headers },
    token: part.token ?? 'access',
    ...(part.body === undefined ? {} : { body: part.body }),
  }));
}

/** A request the schemas accept, as parts on the wire. */
function validParts(request: RouteRequest, ctx: ValueContext, overrides: ReadonlyMap<string, fc.Arbitrary<unknown>> = new Map()): fc.Arbitrary<Part> {
  const none = fc.constant(undefined);
  return fc
    .tuple(
      request.params ? validValue(asSchema(request.params), ctx) : none,
      request.query ? validValue(asSchema(request.query), { ...ctx, maxString: URL_STRING_MAX }, prefixed('query', overrides)) : none,
      request.body ? validValue(asSchema(request.body), ctx, prefixed('body', overrides)) : none,
    )
    .map(([params, query, body]) => ({
      defect: '',
      params: Object.fromEntries(asPairs(params)),
      query: asPairs(query),
      ...(request.body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    }));
}

/** Overrides addressed as `body/...` or `query/...`, for the value of that part. */
function prefixed(part: string, overrides: ReadonlyMap<string, fc.Arbitrary<unknown>>): Map<string, fc.Arbitrary<unknown>> {
  return new Map([...overrides].filter(([k]) => k.startsWith(`${part}/`)).map(([k, v]) => [k.slice(part.length + 1), v]));
}

function bodyFault(request: RouteRequest, ctx: ValueContext): fc.Arbitrary<Part> {
  const notJson = fc.constantFrom('', '{', '{"a":', 'null null', 'undefined', '\u0000', '{"path": "/a" "x": 1}', '[1,2,]').map((body) => ({ body, defect: `the body is not JSON: ${JSON.stringify(body)}` }));
  const refused = invalidValue(asSchema(request.body), ctx, ['body']).map((d: Defect) => ({ body: JSON.stringify(d.value), defect: d.defect }));
  return fc.tuple(validParts({ params: request.params, query: request.query }, ctx), fc.oneof({ weight: 1, arbitrary: notJson }, { weight: 6, arbitrary: refused })).map(([p, b]) => ({
    ...p,
    ...b,
    headers: { 'content-type': 'application/json' },
  }));
}

function mediaFault(valid: fc.Arbitrary<Part>): fc.Arbitrary<Part> {
  const types = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/xml', 'json');
  return fc.tuple(valid, types).map(([p, type]) => ({ ...p, headers: { 'content-type': type }, defect: `the body is sent as ${type}` }));
}

function queryFault(request: RouteRequest, ctx: ValueContext): fc.Arbitrary<Part> {
  const schema = asSchema(request.query);
  const fields = stringFields(schema);
  const known = new Set(fields.map(([name]) => name));
  const unknown = fc
    .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((k) => !known.has(k)), fc.string({ maxLength: 30 }))
    .map(([name, value]) => ({ pairs: [[name, value]] as [string, string][], drop: undefined as string | undefined, defect: `query.${name} is not a parameter of this route` }));
  const options = [unknown];
  for (const [name, field] of fields) {
    const bad = invalidStrings(field, `query.${name}`, true);
    if (bad.length > 0) options.push(fc.oneof(...bad).map((d) => ({ pairs: [[name, String(d.value)]] as [string, string][], drop: name, defect: d.defect })));
  }
  const missing = (schema.required ?? []).map((name) => fc.constant({ pairs: [] as [string, string][], drop: name, defect: `query.${name} is missing` }));
  return fc.tuple(validParts(request, ctx), fc.oneof(...options, ...missing)).map(([p, q]) => ({
    ...p,
    query: [...p.query.filter(([k]) => k !== q.drop), ...q.pairs],
    defect: q.defect,
  }));
}

function paramsFault(request: RouteRequest, ctx: ValueContext): fc.Arbitrary<Part> {
  const options = stringFields(asSchema(request.params)).flatMap(([name, field]) =>
    invalidStrings(field, `params.${name}`, true).map((bad) => bad.filter((d) => d.value !== '').map((d) => ({ name, value: String(d.value), defect: d.defect }))),
  );
  return fc.tuple(validParts(request, ctx), fc.oneof(...options)).map(([p, bad]) => ({ ...p, params: { ...p.params, [bad.name]: bad.value }, defect: bad.defect }));
}

function freeTextFault(request: RouteRequest, ctx: ValueContext): fc.Arbitrary<Part> | undefined {
  const fields: [string, FieldPath, number][] = [
    ...freeTextFields(asSchema(request.body ?? {})).map((path): [string, FieldPath, number] => ['body', path, maxLengthAt(asSchema(request.body), path)]),
    ...freeTextFields(asSchema(request.query ?? {})).map((path): [string, FieldPath, number] => ['query', path, maxLengthAt(asSchema(request.query), path)]),
  ];
  if (fields.length === 0) return undefined;
  return fc.constantFrom(...fields).chain(([part, path, max]) =>
    validParts(request, ctx, new Map([[[part, ...path].join('/'), poisonedText(max, part === 'body')]])).map((p) => ({
      ...p,
      defect: `${part}.${fieldName(path)} holds a control character or an unpaired surrogate`,
    })),
  );
}

function maxLengthAt(schema: Schema, path: FieldPath): number {
  let at: Schema | undefined = schema;
  for (const step of path) at = step === '*' ? at?.items : at?.properties?.[step];
  return at?.maxLength ?? 300;
}

function tokenFault(valid: fc.Arbitrary<Part>): fc.Arbitrary<Part> {
  const kinds = fc.constantFrom<TokenKind>('none', 'garbage', 'id', 'expired', 'forged', 'other-client');
  return fc.tuple(valid, kinds).map(([p, token]) => ({ ...p, token, defect: `the request carries ${token === 'none' ? 'no token' : `a token that is ${token}`}` }));
}

/** Headers no route reads, with values a client could send (printable ASCII: fetch refuses others). */
function strayHeaders(): fc.Arbitrary<Record<string, string>> {
  const names = fc.constantFrom('x-forwarded-for', 'user-agent', 'cookie', 'accept', 'accept-language', 'x-amz-date', 'x-requested-with', 'origin', 'referer', 'x-tote-fuzz');
  const value = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), fc.constantFrom('x'.repeat(4000), '../../etc/passwd', "' OR 1=1 --", '${jndi:ldap://x}'));
  return fc.dictionary(names, value.map((v) => v.replace(/[\r\n]/g, ' ').trim()), { maxKeys: 3 });
}

/** Query parameters a route without a query schema ignores; nothing where the schema refuses strangers (the fault is elsewhere). */
function strayQuery(request: RouteRequest): fc.Arbitrary<[string, string][]> {
  if (request.query) return fc.constant([]);
  return fc.array(fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 30 })), { maxLength: 2 });
}
