/** Parsing the `WWW-Authenticate` challenges of a registry's 401 answers. */

/** One challenge: its scheme (lower case) and parameters (`realm`, `service`, `scope`, …). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

// A token68 or auth-param list; quoted strings may hold commas and escaped quotes.
const PARAM = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/y;
const SCHEME = /\s*,?\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+|$)/y;

/**
 * Parses a `WWW-Authenticate` value into its challenges, e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`.
 * Unparseable text ends the parse; what was read so far is returned.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let position = 0;
  while (position < header.length) {
    SCHEME.lastIndex = position;
    const scheme = SCHEME.exec(header);
    if (scheme === null) break;
    position = SCHEME.lastIndex;
    const params: Record<string, string> = {};
    for (;;) {
      PARAM.lastIndex = position;
      const param = PARAM.exec(header);
      if (param === null) break;
      const [, name = '', raw = ''] = param;
      // A following scheme looks like a parameter name without `=`: the regex only matches pairs.
      params[name.toLowerCase()] = raw.startsWith('"')
        ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
        : raw;
      position = PARAM.lastIndex;
    }
    challenges.push({ scheme: (scheme[1] ?? '').toLowerCase(), params });
  }
  return challenges;
}
