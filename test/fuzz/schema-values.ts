/**
 * Values for the contract's request schemas (the JSON Schema TypeBox emits) as fast-check
 * arbitraries. `validValue` makes values the schema accepts, hostile ones included: strings of any
 * Unicode up to the length limit, numbers at their bounds, and ids of other users' things wherever a
 * pattern accepts them. `invalidValue` makes values the schema refuses, each with a note of what is
 * wrong, down to one bad field deep inside. `freeTextFields` finds the strings no pattern constrains,
 * where the service itself must refuse what is not a path or a cursor.
 *
 * Covers the keywords the contract's request schemas use: type, const, anyOf, pattern, minLength,
 * maxLength, minimum, maximum, items, minItems, maxItems, properties, required, additionalProperties.
 */
import fc from 'fast-check';

export interface Schema {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
}

export interface ValueContext {
  /** Values naming other users' things (file ids, upload ids...), offered wherever a pattern accepts them. */
  readonly foreignStrings: readonly string[];
  /** Most items generated for an array (the contract allows 40,000 chunks). */
  readonly maxArray: number;
  /** Longest string generated whatever the schema allows (a URL has room for less than a body). */
  readonly maxString?: number;
}

/** A path into a value: property names, `*` for every item of an array. */
export type FieldPath = readonly string[];

export interface Defect {
  readonly value: unknown;
  /** What is wrong, e.g. `body.chunks[*].hash does not match ^[0-9a-f]{64}$`. */
  readonly defect: string;
}

type Overrides = ReadonlyMap<string, fc.Arbitrary<unknown>>;

const key = (path: FieldPath) => path.join('/');
/** True when an override sits at `path` or below it. */
const overridden = (overrides: Overrides, path: FieldPath) => [...overrides.keys()].some((k) => k === key(path) || k.startsWith(`${key(path)}/`));
export const fieldName = (path: FieldPath) => path.map((p, i) => (p === '*' ? '[*]' : i === 0 ? p : `.${p}`)).join('');

/** Longest string a generator makes where a schema sets no limit. */
const UNBOUNDED_STRING = 300;

// ---- valid values ----

export function validValue(schema: Schema, ctx: ValueContext, overrides: Overrides = new Map(), path: FieldPath = []): fc.Arbitrary<unknown> {
  const override = overrides.get(key(path));
  if (override) return override;
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validValue(s, ctx, overrides, path)));
  switch (schema.type) {
    case 'string':
      return validString(schema, ctx);
    case 'integer':
      return validInteger(schema);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const max = Math.min(schema.maxItems ?? ctx.maxArray, ctx.maxArray);
      const min = Math.min(Math.max(schema.minItems ?? 0, overridden(overrides, [...path, '*']) ? 1 : 0), max);
      return fc.array(validValue(schema.items ?? {}, ctx, overrides, [...path, '*']), { minLength: min, maxLength: max });
    }
    case 'object':
      return validObject(schema, ctx, overrides, path);
    default:
      return fc.jsonValue();
  }
}

function validString(schema: Schema, ctx: ValueContext): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? UNBOUNDED_STRING, ctx.maxString ?? Infinity);
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, 'u');
    const fits = (s: string) => s.length >= min && s.length <= max && re.test(s);
    const foreign = ctx.foreignStrings.filter(fits);
    const matching = fc.stringMatching(re).filter(fits);
    return foreign.length > 0 ? fc.oneof(matching, fc.constantFrom(...foreign)) : matching;
  }
  return fc.oneof(
    fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }),
    fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }),
    // At the limit, in characters that take several bytes each: within the schema, maybe not within byte limits.
    fc.constantFrom('é', '😀', 'a', '/').map((unit) => unit.repeat(Math.max(min, Math.floor(max / unit.length)))),
  );
}

function validInteger(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? Number.MIN_SAFE_INTEGER;
  const max = schema.maximum ?? Number.MAX_SAFE_INTEGER;
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
}

function validObject(schema: Schema, ctx: ValueContext, overrides: Overrides, path: FieldPath): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, validValue(s, ctx, overrides, [...path, name])]));
  // A field given an override is always present: the override is what the value is made for.
  const required = Object.keys(properties).filter((name) => schema.required?.includes(name) || overridden(overrides, [...path, name]));
  const known = fc.record(model, { requiredKeys: required });
  if (typeof schema.additionalProperties !== 'object') return known;
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), validValue(schema.additionalProperties, ctx, overrides, [...path, '*']), { maxKeys: 4 });
  return fc.tuple(extra, known).map(([more, fixed]) => ({ ...more, ...(fixed as object) }));
}

// ---- invalid values ----

const JSON_SAMPLES: readonly [string, unknown][] = [
  ['null', null],
  ['boolean', true],
  ['integer', 7],
  ['number', 1.5],
  ['string', 'text'],
  ['array', []],
  ['object', {}],
];

/** JSON types a schema accepts (a union accepts its branches' types). */
function acceptedTypes(schema: Schema): Set<string> {
  if (schema.anyOf) return new Set(schema.anyOf.flatMap((s) => [...acceptedTypes(s)]));
  if ('const' in schema) return new Set([typeof schema.const === 'number' ? 'integer' : typeof schema.const]);
  return new Set(schema.type ? [schema.type] : JSON_SAMPLES.map(([t]) => t));
}

function wrongType(schema: Schema, path: FieldPath): fc.Arbitrary<Defect> | undefined {
  const accepted = acceptedTypes(schema);
  const wrong = JSON_SAMPLES.filter(([type]) => !accepted.has(type) && !(type === 'integer' && accepted.has('number')));
  if (wrong.length === 0) return undefined;
  return fc.constantFrom(...wrong).map(([type, value]) => ({ value, defect: `${fieldName(path) || 'the value'} is a ${type}` }));
}

export function invalidValue(schema: Schema, ctx: ValueContext, path: FieldPath = []): fc.Arbitrary<Defect> {
  const options = [wrongType(schema, path), ...specificDefects(schema, ctx, path)].filter((a): a is fc.Arbitrary<Defect> => a !== undefined);
  if (options.length === 0) throw new Error(`no way to make ${fieldName(path)} invalid`);
  return fc.oneof(...options);
}

function specificDefects(schema: Schema, ctx: ValueContext, path: FieldPath): (fc.Arbitrary<Defect> | undefined)[] {
  const name = fieldName(path) || 'the value';
  if ('const' in schema) return [fc.string().filter((s) => s !== schema.const).map((value) => ({ value, defect: `${name} is not ${JSON.stringify(schema.const)}` }))];
  if (schema.anyOf) return schema.anyOf.every((s) => 'const' in s) ? [otherThanConsts(schema.anyOf, name)] : [];
  switch (schema.type) {
    case 'string':
      return invalidStrings(schema, name);
    case 'integer':
      return [
        fc.constantFrom(0.5, 2 ** 60 + 0.5).map((value) => ({ value, defect: `${name} is not an integer` })),
        schema.minimum === undefined ? undefined : fc.constant({ value: schema.minimum - 1, defect: `${name} is below ${schema.minimum}` }),
        schema.maximum === undefined ? undefined : fc.constant({ value: schema.maximum + 1, defect: `${name} is above ${schema.maximum}` }),
      ];
    case 'array':
      return invalidArrays(schema, ctx, path, name);
    case 'object':
      return invalidObjects(schema, ctx, path);
    default:
      return [];
  }
}

function otherThanConsts(branches: readonly Schema[], name: string): fc.Arbitrary<Defect> {
  const allowed = new Set(branches.map((b) => b.const));
  return fc.string().filter((s) => !allowed.has(s)).map((value) => ({ value, defect: `${name} is none of ${[...allowed].join(', ')}` }));
}

/**
 * Strings a string schema refuses (each also what a query or path parameter can carry). In a URL
 * (`inUrl`) a string only just past its limit: far past it, the URL outgrows what any gateway takes
 * (API Gateway: 10 KB of request line and headers), which the gateway refuses before any route runs.
 */
export function invalidStrings(schema: Schema, name: string, inUrl = false): fc.Arbitrary<Defect>[] {
  const options: fc.Arbitrary<Defect>[] = [];
  if (schema.maxLength !== undefined) {
    const over = schema.maxLength + 1;
    options.push(fc.constantFrom(...(inUrl ? [over] : [over, over * 4])).map((n) => ({ value: 'a'.repeat(n), defect: `${name} is ${n} characters (most ${schema.maxLength})` })));
  }
  if (schema.minLength) options.push(fc.constant({ value: '', defect: `${name} is empty` }));
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, 'u');
    options.push(
      fc
        .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 70 }), fc.stringMatching(re).map((s) => `${s}${'G/ %'[s.length % 4]}`))
        .filter((s) => !re.test(s) && s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity))
        .map((value) => ({ value, defect: `${name} does not match ${schema.pattern}` })),
    );
  }
  return options;
}

function invalidArrays(schema: Schema, ctx: ValueContext, path: FieldPath, name: string): (fc.Arbitrary<Defect> | undefined)[] {
  const item = validValue(schema.items ?? {}, ctx, new Map(), [...path, '*']);
  return [
    // Past the limit the items themselves can be valid: the count alone is wrong.
    schema.maxItems === undefined
      ? undefined
      : item.map((one) => ({ value: new Array<unknown>(schema.maxItems! + 1).fill(one), defect: `${name} has ${schema.maxItems! + 1} items (most ${schema.maxItems})` })),
    schema.minItems ? fc.constant({ value: [], defect: `${name} is empty` }) : undefined,
    fc
      .tuple(fc.array(item, { maxLength: 3 }), invalidValue(schema.items ?? {}, ctx, [...path, '*']), fc.nat())
      .map(([items, bad, at]) => {
        const value = [...items];
        value.splice(at % (items.length + 1), 0, bad.value);
        return { value, defect: bad.defect };
      }),
  ];
}

function invalidObjects(schema: Schema, ctx: ValueContext, path: FieldPath): (fc.Arbitrary<Defect> | undefined)[] {
  const properties = schema.properties ?? {};
  const required = (schema.required ?? []).filter((p) => p in properties);
  const whole = validValue(schema, ctx, new Map(), path) as fc.Arbitrary<Record<string, unknown>>;
  const names = Object.keys(properties);
  return [
    required.length === 0
      ? undefined
      : fc.tuple(whole, fc.constantFrom(...required)).map(([value, missing]) => {
          const { [missing]: _gone, ...rest } = value;
          return { value: rest, defect: `${fieldName([...path, missing])} is missing` };
        }),
    schema.additionalProperties !== false
      ? undefined
      : fc
          .tuple(whole, fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !(k in properties) && k !== '__proto__'), fc.jsonValue())
          .map(([value, extra, v]) => ({ value: { ...value, [extra]: v }, defect: `${fieldName([...path, extra])} is not allowed` })),
    names.length === 0
      ? undefined
      : fc
          .constantFrom(...names)
          .chain((field) => fc.tuple(whole, fc.constant(field), invalidValue(properties[field], ctx, [...path, field])))
          .map(([value, field, bad]) => ({ value: { ...value, [field]: bad.value }, defect: bad.defect })),
  ];
}

// ---- free text ----

/** Paths to the strings of a schema that no pattern or constant constrains. */
export function freeTextFields(schema: Schema, path: FieldPath = []): FieldPath[] {
  if (schema.anyOf) return schema.anyOf.flatMap((s) => freeTextFields(s, path));
  if (schema.type === 'string') return 'const' in schema || schema.pattern ? [] : [path];
  if (schema.type === 'array') return freeTextFields(schema.items ?? {}, [...path, '*']);
  if (schema.type === 'object') return Object.entries(schema.properties ?? {}).flatMap(([name, s]) => freeTextFields(s, [...path, name]));
  return [];
}

/** Characters no path or cursor may hold: C0, DEL, C1, and (where JSON can carry them) unpaired surrogates. */
export function poisonedText(maxLength: number, withSurrogates: boolean): fc.Arbitrary<string> {
  const controls = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f].map((c) => String.fromCharCode(c));
  const poison = fc.constantFrom(...controls, ...(withSurrogates ? ['\ud800', '\udc00', '\udbff', '\udfff'] : []));
  const text = fc.string({ unit: 'grapheme-ascii', maxLength: 20 });
  return fc.tuple(text, poison, text).map(([a, p, b]) => `/${a}${p}${b}`.slice(0, Math.max(maxLength, 2)));
}
