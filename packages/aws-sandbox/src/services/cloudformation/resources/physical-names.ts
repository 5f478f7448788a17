// Names CloudFormation generates for resources without an explicit name: `<stack>-<logicalId>-<RANDOM>`.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 12 random upper-case letters and digits. */
function suffix(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/**
 * A physical name of at most `maxLength` characters; the stack name and logical id are cut to
 * share what the random suffix leaves, as CloudFormation does.
 */
export function generatePhysicalName(
  stackName: string,
  logicalId: string,
  options: { maxLength?: number; lowercase?: boolean } = {},
): string {
  const maxLength = options.maxLength ?? 128;
  const random = suffix();
  let stack = stackName;
  let logical = logicalId;
  const budget = maxLength - random.length - 2;
  if (stack.length + logical.length > budget) {
    const half = Math.max(1, Math.floor(budget / 2));
    logical = logical.slice(0, Math.max(1, budget - Math.min(stack.length, half)));
    stack = stack.slice(0, Math.max(1, budget - logical.length));
  }
  const name = `${stack}-${logical}-${random}`;
  return options.lowercase === true ? name.toLowerCase() : name;
}
