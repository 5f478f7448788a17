// Name, path and ARN rules of IAM entities.
import { validationError } from './iam-errors.js';

const NAME = /^[\w+=,.@-]+$/;

/** Checks an entity name (`[\w+=,.@-]{1,max}`), throwing AWS's ValidationError. */
export function checkName(field: string, value: string, max: number): string {
  if (value.length < 1 || value.length > max || !NAME.test(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and ${max}`,
    );
  }
  return value;
}

/** Checks an IAM path (`/` or `/a/b/`). */
export function checkPath(value: string | undefined): string {
  const path = value ?? '/';
  if (path.length > 512 || !/^\/([\x21-\x7e]+\/)?$/.test(path) || path.includes('//')) {
    throw validationError(
      `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  }
  return path;
}

/** `arn:aws:iam::<account>:<type><path><name>`. */
export function iamArn(
  accountId: string,
  type: 'role' | 'user' | 'policy',
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${accountId}:${type}${path}${name}`;
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}
