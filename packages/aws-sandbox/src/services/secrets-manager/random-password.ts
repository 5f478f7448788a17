// GetRandomPassword: what CloudFormation's GenerateSecretString and rotation functions call.
import { randomInt } from 'node:crypto';
import type { ActionDefinition } from '../../framework/service.js';
import { invalidParameter } from './secret-errors.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** `GetRandomPassword`. */
export const randomPasswordActions: Record<string, ActionDefinition> = {
  GetRandomPassword: {
    validate: (ctx) => {
      const length = ctx.input.int('PasswordLength') ?? 32;
      if (length < 1 || length > 4096) {
        throw invalidParameter('PasswordLength must be between 1 and 4096.');
      }
    },
    handler: (ctx) => {
      const length = ctx.input.int('PasswordLength') ?? 32;
      const excluded = new Set(ctx.input.str('ExcludeCharacters') ?? '');
      const keep = (set: string): string => [...set].filter((c) => !excluded.has(c)).join('');
      const groups = [
        ctx.input.bool('ExcludeLowercase') === true ? '' : keep(LOWER),
        ctx.input.bool('ExcludeUppercase') === true ? '' : keep(UPPER),
        ctx.input.bool('ExcludeNumbers') === true ? '' : keep(DIGITS),
        ctx.input.bool('ExcludePunctuation') === true ? '' : keep(PUNCTUATION),
        ctx.input.bool('IncludeSpace') === true ? keep(' ') : '',
      ].filter((group) => group !== '');
      const alphabet = groups.join('');
      if (alphabet === '') {
        throw invalidParameter('The password cannot be generated: every character is excluded.');
      }
      const requireEach = ctx.input.bool('RequireEachIncludedType') ?? true;
      if (requireEach && groups.length > length) {
        throw invalidParameter(
          'PasswordLength is too short to include a character of each included type.',
        );
      }
      const chars = requireEach ? groups.map((group) => group[randomInt(group.length)] ?? '') : [];
      while (chars.length < length) chars.push(alphabet[randomInt(alphabet.length)] ?? '');
      // Shuffle so the required characters do not always lead.
      for (let i = chars.length - 1; i > 0; i -= 1) {
        const j = randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
      }
      return { RandomPassword: chars.join('') };
    },
  },
};
