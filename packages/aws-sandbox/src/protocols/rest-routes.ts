// Routing for REST protocols (Lambda, CloudFront): method + URI template → action, with the
// template's labels (`{FunctionName}`) decoded from the path.
import { CommonError } from '../framework/aws-error.js';

/** One operation's HTTP binding, as the service model declares it. */
export interface RestRoute {
  /** `GET`, `POST`, … */
  method: string;
  /**
   * The URI template: literal segments and `{Label}` segments (one path segment each), or a last
   * `{Label+}` taking the rest of the path. A `?name=value` (or `?name`) suffix requires that
   * query parameter, as some models bind an operation to a literal query
   * (`/2018-10-31/layers?find=LayerVersion`).
   */
  path: string;
  action: string;
}

/** A request matched to a route. */
export interface RouteMatch<R extends RestRoute> {
  route: R;
  /** Label values, percent-decoded. */
  labels: Record<string, string>;
}

interface CompiledRoute<R extends RestRoute> {
  route: R;
  method: string;
  segments: { literal?: string; label?: string; greedy?: boolean }[];
  requiredQuery: [name: string, value: string | undefined][];
}

function compile<R extends RestRoute>(route: R): CompiledRoute<R> {
  const [pathPart = '', queryPart] = route.path.split('?', 2);
  const segments = pathPart
    .split('/')
    .slice(1)
    .map((segment) => {
      const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!label) return { literal: segment };
      return { label: label[1] ?? '', greedy: label[2] === '+' };
    });
  const requiredQuery: [string, string | undefined][] = [];
  for (const pair of (queryPart ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    requiredQuery.push(eq < 0 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return { route, method: route.method.toUpperCase(), segments, requiredQuery };
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new CommonError('MalformedInput', `The path segment "${raw}" is not valid.`);
  }
}

function matchPath<R extends RestRoute>(
  compiled: CompiledRoute<R>,
  rawSegments: string[],
): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    if (segment.greedy === true && segment.label !== undefined) {
      const rest = rawSegments.slice(index);
      if (rest.length === 0 || rest.every((part) => part === '')) return undefined;
      labels[segment.label] = rest.map(decodeSegment).join('/');
      return labels;
    }
    const raw = rawSegments[index];
    if (raw === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (raw !== segment.literal) return undefined;
    } else if (segment.label !== undefined) {
      // An empty label never matches: `/functions//aliases` names no function.
      if (raw === '') return undefined;
      labels[segment.label] = decodeSegment(raw);
    }
  }
  return rawSegments.length === compiled.segments.length ? labels : undefined;
}

/** A route table. */
export class RestRouter<R extends RestRoute> {
  private readonly compiled: CompiledRoute<R>[];

  constructor(routes: readonly R[]) {
    // Routes that require a literal query come first: they are more specific than the same path
    // without one.
    this.compiled = routes
      .map((route) => compile(route))
      .sort((a, b) => b.requiredQuery.length - a.requiredQuery.length);
  }

  /** The route of a request, or undefined when no route matches its method, path and query. */
  match(method: string, rawPath: string, query: URLSearchParams): RouteMatch<R> | undefined {
    const upper = method.toUpperCase();
    // A trailing slash is not a segment of its own (`/2015-03-31/functions/` lists functions).
    const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const rawSegments = trimmed.split('/').slice(1);
    for (const compiled of this.compiled) {
      if (compiled.method !== upper) continue;
      const queryMatches = compiled.requiredQuery.every(([name, value]) =>
        value === undefined ? query.has(name) : query.get(name) === value,
      );
      if (!queryMatches) continue;
      const labels = matchPath(compiled, rawSegments);
      if (labels) return { route: compiled.route, labels };
    }
    return undefined;
  }

  /** The route of an action (to render its result), if the table has one. */
  routeOf(action: string): R | undefined {
    return this.compiled.find((compiled) => compiled.route.action === action)?.route;
  }
}
