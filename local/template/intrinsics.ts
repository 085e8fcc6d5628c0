/**
 * Evaluates CloudFormation intrinsic functions against local values: what CloudFormation does at
 * deploy time, with physical ids and attributes supplied by the runtime instead of AWS. Anything it
 * cannot evaluate throws naming where it was, rather than handing a handler a half-resolved object.
 */
import { isObject, type CfnTemplate } from './types';

export interface ResolveContext {
  readonly template: CfnTemplate;
  /** Parameter values by name; parameters left out fall back to their Default. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Pseudo parameters: AWS::Region, AWS::AccountId, AWS::Partition, AWS::URLSuffix, AWS::StackName... */
  readonly pseudo: Readonly<Record<string, string>>;
  /** Physical id of a resource (what Ref returns). */
  readonly ref: (logicalId: string) => string;
  readonly getAtt: (logicalId: string, attribute: string) => unknown;
}

/** Marks a value removed by `Ref: AWS::NoValue`; stripped from the enclosing object or array. */
const NO_VALUE = Symbol('AWS::NoValue');

export type Resolver = (value: unknown, where: string) => unknown;

export function createResolver(ctx: ResolveContext): Resolver {
  const fail = (where: string, message: string): never => {
    throw new Error(`cannot resolve ${where}: ${message}`);
  };

  const ref = (name: string, where: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in ctx.pseudo) return ctx.pseudo[name];
    const parameter = ctx.template.Parameters?.[name];
    if (parameter) {
      const value = ctx.parameters[name] ?? parameter.Default;
      if (value === undefined) return fail(where, `parameter ${name} has no value and no default`);
      return parameter.Type.startsWith('List<') || parameter.Type === 'CommaDelimitedList' ? value.split(',') : value;
    }
    if (name in ctx.template.Resources) return ctx.ref(name);
    return fail(where, `Ref to unknown name ${name}`);
  };

  const condition = (name: string, where: string): boolean => {
    const definition = ctx.template.Conditions?.[name];
    if (definition === undefined) return fail(where, `unknown condition ${name}`);
    return Boolean(resolve(definition, `${where} condition ${name}`));
  };

  const sub = (text: string, vars: Readonly<Record<string, unknown>>, where: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (_, expr: string) => {
      if (expr.startsWith('!')) return '${' + expr.slice(1) + '}';
      if (expr in vars) return String(vars[expr]);
      const dot = expr.indexOf('.');
      if (dot > 0 && !expr.startsWith('AWS::')) return String(ctx.getAtt(expr.slice(0, dot), expr.slice(dot + 1)));
      return String(ref(expr, where));
    });

  const list = (value: unknown, where: string): unknown[] => {
    const resolved = resolve(value, where);
    return Array.isArray(resolved) ? resolved : fail(where, 'expected a list');
  };

  const functions: Record<string, (arg: unknown, where: string) => unknown> = {
    Ref: (arg, where) => ref(String(arg), where),
    'Fn::GetAtt': (arg, where) => {
      const [id, ...attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
      if (!(id in ctx.template.Resources)) return fail(where, `GetAtt of unknown resource ${id}`);
      return ctx.getAtt(id, attr.join('.'));
    },
    'Fn::Join': (arg, where) => {
      const [delimiter, items] = arg as [string, unknown];
      return list(items, where).map(String).join(delimiter);
    },
    'Fn::Sub': (arg, where) => {
      if (typeof arg === 'string') return sub(arg, {}, where);
      const [text, vars] = arg as [string, Record<string, unknown>];
      return sub(text, resolve(vars, where) as Record<string, unknown>, where);
    },
    'Fn::Select': (arg, where) => {
      const [index, items] = arg as [unknown, unknown];
      const values = list(items, where);
      const i = Number(resolve(index, where));
      return i >= 0 && i < values.length ? values[i] : fail(where, `Select index ${i} out of range`);
    },
    'Fn::Split': (arg, where) => {
      const [delimiter, text] = arg as [string, unknown];
      return String(resolve(text, where)).split(delimiter);
    },
    'Fn::FindInMap': (arg, where) => {
      const [map, top, second] = list(arg, where).map(String);
      const value = ctx.template.Mappings?.[map]?.[top]?.[second];
      return value === undefined ? fail(where, `no mapping ${map}.${top}.${second}`) : value;
    },
    'Fn::If': (arg, where) => {
      const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
      return resolve(condition(name, where) ? whenTrue : whenFalse, where);
    },
    'Fn::Equals': (arg, where) => {
      const [a, b] = list(arg, where);
      return JSON.stringify(a) === JSON.stringify(b);
    },
    'Fn::And': (arg, where) => list(arg, where).every(Boolean),
    'Fn::Or': (arg, where) => list(arg, where).some(Boolean),
    'Fn::Not': (arg, where) => !list(arg, where)[0],
    Condition: (arg, where) => condition(String(arg), where),
    'Fn::Base64': (arg, where) => Buffer.from(String(resolve(arg, where))).toString('base64'),
    'Fn::GetAZs': () => ['a', 'b', 'c'].map((zone) => `${ctx.pseudo['AWS::Region']}${zone}`),
  };

  function resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => resolve(v, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'))) {
      const fn = functions[keys[0]];
      if (!fn) return fail(where, `${keys[0]} is not supported by the local runtime`);
      return fn(value[keys[0]], where);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = resolve(value[key], `${where}.${key}`);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  return resolve;
}
