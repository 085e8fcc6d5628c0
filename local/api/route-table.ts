/**
 * API Gateway HTTP API route selection: `METHOD /path` keys with `{param}` and a trailing greedy
 * `{param+}`, `ANY` methods and the `$default` route. The most specific route wins, as on AWS: literal
 * segments beat parameters, parameters beat greedy ones, a named method beats ANY.
 */
export interface RouteMatch<T> {
  readonly route: T;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface CompiledRoute<T> {
  readonly route: T;
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly string[];
  readonly greedy: boolean;
  readonly rank: readonly number[];
}

const PARAM = /^\{([A-Za-z0-9_.-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9_.-]+)\+\}$/;

export function compileRoutes<T>(routes: ReadonlyArray<{ routeKey: string; route: T }>) {
  const compiled = routes
    .map(({ routeKey, route }): CompiledRoute<T> => {
      if (routeKey === '$default') return { route, routeKey, method: 'ANY', segments: [], greedy: true, rank: [-1] };
      const [method, path] = routeKey.split(' ');
      if (!method || !path?.startsWith('/')) throw new Error(`route key "${routeKey}" is not "METHOD /path"`);
      const segments = path.split('/').slice(1);
      const greedy = GREEDY.test(segments.at(-1) ?? '');
      const literals = segments.filter((s) => !PARAM.test(s) && !GREEDY.test(s)).length;
      return { route, routeKey, method, segments, greedy, rank: [greedy ? 0 : 1, literals, segments.length, method === 'ANY' ? 0 : 1] };
    })
    .sort((a, b) => compareRank(b.rank, a.rank));

  return (method: string, rawPath: string): RouteMatch<T> | undefined => {
    const parts = rawPath.split('/').slice(1);
    for (const candidate of compiled) {
      if (candidate.method !== 'ANY' && candidate.method !== method) continue;
      const params = candidate.routeKey === '$default' ? {} : matchSegments(candidate, parts);
      if (params) return { route: candidate.route, routeKey: candidate.routeKey, pathParameters: params };
    }
    return undefined;
  };
}

function matchSegments(route: CompiledRoute<unknown>, parts: readonly string[]): Record<string, string> | undefined {
  const fixed = route.greedy ? route.segments.length - 1 : route.segments.length;
  if (route.greedy ? parts.length <= fixed : parts.length !== fixed) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < fixed; i++) {
    const param = PARAM.exec(route.segments[i]);
    if (param) {
      if (parts[i] === '') return undefined;
      params[param[1]] = decodeURIComponent(parts[i]);
    } else if (route.segments[i] !== parts[i]) {
      return undefined;
    }
  }
  if (route.greedy) {
    const name = GREEDY.exec(route.segments[fixed])?.[1] as string;
    params[name] = decodeURIComponent(parts.slice(fixed).join('/'));
  }
  return params;
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
