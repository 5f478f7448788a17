// GenerateSecretString of AWS::SecretsManager::Secret: a random password with Secrets Manager's
// character rules, optionally placed under a key of a JSON template.
import { randomInt } from 'node:crypto';
import { optBoolean, optInteger, optString } from './property-readers.js';
import type { ResourceProperties } from './resource-provider.js';
import { PropertiesValidationError } from './properties-validation-error.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function pick(characters: string): string {
  return characters[randomInt(characters.length)] ?? '';
}

/** Generates the secret string a `GenerateSecretString` property asks for. */
export function generateSecretString(spec: ResourceProperties): string {
  const exclude = new Set(optString(spec, 'ExcludeCharacters') ?? '');
  const length = optInteger(spec, 'PasswordLength') ?? 32;
  if (length < 1 || length > 4096) {
    throw new PropertiesValidationError(
      '#/GenerateSecretString/PasswordLength: must be between 1 and 4096',
    );
  }
  const classes = [
    optBoolean(spec, 'ExcludeLowercase') === true ? '' : LOWER,
    optBoolean(spec, 'ExcludeUppercase') === true ? '' : UPPER,
    optBoolean(spec, 'ExcludeNumbers') === true ? '' : DIGITS,
    optBoolean(spec, 'ExcludePunctuation') === true ? '' : PUNCTUATION,
    optBoolean(spec, 'IncludeSpace') === true ? ' ' : '',
  ]
    .map((set) => [...set].filter((char) => !exclude.has(char)).join(''))
    .filter((set) => set !== '');
  if (classes.length === 0) {
    throw new PropertiesValidationError('#/GenerateSecretString: every character is excluded');
  }
  const all = classes.join('');
  const chars: string[] = [];
  if (optBoolean(spec, 'RequireEachIncludedType') !== false && length >= classes.length) {
    for (const set of classes) chars.push(pick(set));
  }
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  const password = chars.join('');
  const key = optString(spec, 'GenerateStringKey');
  const template = optString(spec, 'SecretStringTemplate');
  if ((key === undefined) !== (template === undefined)) {
    throw new PropertiesValidationError(
      '#/GenerateSecretString: GenerateStringKey and SecretStringTemplate must be specified together',
    );
  }
  if (key === undefined || template === undefined) return password;
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch {
    throw new PropertiesValidationError(
      '#/GenerateSecretString/SecretStringTemplate: must be a JSON object',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PropertiesValidationError(
      '#/GenerateSecretString/SecretStringTemplate: must be a JSON object',
    );
  }
  return JSON.stringify({ ...(parsed as Record<string, unknown>), [key]: password });
}
