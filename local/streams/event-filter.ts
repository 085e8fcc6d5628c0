/**
 * Lambda event filtering (the FilterCriteria of an event source mapping), for the patterns a
 * template can hold: a pattern is an object whose keys follow the record's fields, ending in arrays
 * of matchers, any one of which must match (an array in the record matches when any element does).
 * Matchers: literal values, prefix, suffix, equals-ignore-case, anything-but, numeric and exists.
 * An operator Lambda knows but this does not is refused when the pattern is compiled, never guessed.
 */
export type RecordFilter = (record: unknown) => boolean;

type Matcher = (value: unknown, present: boolean) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One filter from several patterns: a record passes when it matches any (no patterns: every record passes). */
export function compileFilters(patterns: readonly unknown[]): RecordFilter {
  const compiled = patterns.map((p, i) => compilePattern(p, `pattern ${i}`));
  return (record) => compiled.length === 0 || compiled.some((match) => match(record));
}

function compilePattern(pattern: unknown, where: string): RecordFilter {
  if (!isObject(pattern)) throw new Error(`${where}: a filter pattern is an object`);
  const fields = Object.entries(pattern).map(([name, sub]): [string, RecordFilter | Matcher[]] => [
    name,
    Array.isArray(sub) ? sub.map((m, i) => compileMatcher(m, `${where}.${name}[${i}]`)) : compilePattern(sub, `${where}.${name}`),
  ]);
  return (record) =>
    fields.every(([name, rule]) => {
      const present = isObject(record) && name in record;
      const value = present ? (record as Record<string, unknown>)[name] : undefined;
      if (!Array.isArray(rule)) return present && rule(value);
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => rule.some((matcher) => matcher(v, present)));
    });
}

function compileMatcher(spec: unknown, where: string): Matcher {
  if (!isObject(spec)) return (value, present) => present && value === spec;
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw new Error(`${where}: one operator per matcher`);
  const [operator, operand] = entries[0];
  switch (operator) {
    case 'prefix':
      return (value) => typeof value === 'string' && value.startsWith(String(operand));
    case 'suffix':
      return (value) => typeof value === 'string' && value.endsWith(String(operand));
    case 'equals-ignore-case':
      return (value) => typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'exists':
      return (_value, present) => present === (operand === true);
    case 'anything-but': {
      const inner = isObject(operand) ? compileMatcher(operand, `${where}.anything-but`) : undefined;
      const excluded = Array.isArray(operand) ? operand : [operand];
      return (value, present) => present && (inner ? !inner(value, present) : !excluded.includes(value));
    }
    case 'numeric':
      return numeric(Array.isArray(operand) ? operand : [], where);
    default:
      throw new Error(`${where}: filter operator "${operator}" is not supported by the local runtime`);
  }
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(terms: readonly unknown[], where: string): Matcher {
  const checks: Array<(n: number) => boolean> = [];
  for (let i = 0; i < terms.length; i += 2) {
    const compare = COMPARISONS[String(terms[i])];
    const bound = Number(terms[i + 1]);
    if (!compare || Number.isNaN(bound)) throw new Error(`${where}: numeric matcher ${JSON.stringify(terms)} is malformed`);
    checks.push((n) => compare(n, bound));
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}
