// What must never reach the step log: the stage credentials and the values of variables whose
// names say they are secret. Terraform prints a variable's value in the plan wherever a resource
// uses it unless the configuration declares it `sensitive`, so the executor masks them itself.
import type { StageCredentials, JsonValue } from '@rampart/engine';

/** Names the API also redacts (`db_password`, `api_token`, `tls_private_key` …). */
export const SECRET_NAME = /secret|password|passwd|token|credential|private[-_]?key|api[-_]?key/i;

/** What a masked value reads as. */
export const MASK = '[REDACTED]';

/** Values this short are not masked: replacing them everywhere would garble the log. */
const MIN_MASKED_CHARS = 4;

/** Replaces every secret value in a text. */
export type Masker = (text: string) => string;

/** The masker of one run: credentials, secret-named variables and any `extra` values. */
export function maskerFor(
  credentials: StageCredentials,
  variables: Record<string, JsonValue>,
  extra: readonly string[] = [],
): Masker {
  const values = new Set<string>([
    credentials.secretAccessKey,
    credentials.sessionToken ?? '',
    ...extra,
  ]);
  for (const [name, value] of Object.entries(variables)) {
    if (!SECRET_NAME.test(name)) continue;
    for (const leaf of leaves(value)) {
      values.add(leaf);
      // Terraform shows strings with JSON-style escapes (quotes, backslashes, newlines).
      values.add(JSON.stringify(leaf).slice(1, -1));
    }
  }
  // Longest first, so a secret that contains another is masked whole.
  const secrets = [...values]
    .filter((v) => v.length >= MIN_MASKED_CHARS)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.replaceAll(secret, MASK);
    return out;
  };
}

/**
 * Every string and number in a JSON value, as text (a number shows in a plan as its digits);
 * true/false are left out, as masking them would garble every line that says true or false.
 */
export function leaves(value: JsonValue): string[] {
  if (value === null || typeof value === 'boolean') return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  return Object.values(value).flatMap(leaves);
}
