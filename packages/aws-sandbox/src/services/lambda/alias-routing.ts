// Weighted alias routing, deterministic: the n-th invocation goes to the additional version when
// the running share `floor((n + 1) * weight)` grows, so every window of invocations splits in the
// configured proportion (the sandbox rolls no dice).
import type { AliasRecord } from './lambda-state.js';

/** The version invocation number `n` of an alias pointing at `primary` + `weights` runs. */
export function routedVersion(primary: string, weights: Record<string, number>, n: number): string {
  const [extra] = Object.entries(weights);
  if (!extra) return primary;
  const [version, weight] = extra;
  return Math.floor((n + 1) * weight) > Math.floor(n * weight) ? version : primary;
}

/** Routes the next real invocation through an alias (and counts it). */
export function routeAlias(alias: AliasRecord): string {
  const version = routedVersion(alias.functionVersion, alias.weights, alias.routed);
  alias.routed += 1;
  return version;
}
