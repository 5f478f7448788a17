/** A guard for names placed inside paths and token subjects, where a separator would be ambiguous. */
import { RampartError } from '../errors/index.js';

const safePart = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Throws unless `value` is a non-empty run of letters, digits, `.`, `_` and `-` starting with a
 * letter or digit. Slugs and stage names always are; the check keeps a malformed value from
 * smuggling `/`, `:` or a wildcard into an S3 key or an OIDC `sub` that a trust policy matches.
 */
export function assertNamePart(what: string, value: string): void {
  if (!safePart.test(value)) {
    throw new RampartError(
      'RESOURCE_NAME_INVALID',
      `${what} ${JSON.stringify(value)} may hold only letters, digits, ".", "_" and "-"`,
      { hint: `Rename the ${what}, e.g. to lowercase letters, digits and hyphens.` },
    );
  }
}
