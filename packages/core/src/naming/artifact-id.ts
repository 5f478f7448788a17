/** The default id of an artifact, derived from its display name. */

/**
 * The name lowercased, each run of characters other than `a-z` and `0-9` turned into one `-`, and
 * leading and trailing `-` removed: `"API Server (v2)"` → `"api-server-v2"`. Letters outside ASCII
 * count as "other characters" (`"Café"` → `"caf"`), exactly as the DevRamps format defines it, so
 * ids agree between the two tools.
 *
 * Returns `""` when the name holds no ASCII letter or digit; the caller reports that and asks for
 * an explicit `id`.
 */
export function artifactIdFromName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
