import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor, secretForms } from './secret-redactor.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('SecretRedactor', () => {
  const value = 'p@ss w/rd&"é"+1';
  const redactor = new SecretRedactor([value]);

  it('masks the value, JSON-escaped, URL-encoded (both space styles, any hex case) and base64', () => {
    const forms = [
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      encodeURIComponent(value).replace(/%20/g, '+'),
      encodeURIComponent(value).toLowerCase(),
      b64(value),
      b64(`${value}\n`),
      b64(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    ];
    for (const form of forms) {
      expect(redactor.redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
    }
  });

  it('masks the value inside a longer base64 text at any offset', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'token=']) {
      const encoded = b64(`${prefix}${value} and more text`);
      const masked = redactor.redact(encoded);
      expect(masked).toContain(REDACTED);
      // What is left cannot be decoded back to the value.
      expect(Buffer.from(masked.replace(REDACTED, ''), 'base64').toString()).not.toContain(value);
    }
  });

  it('redacts strings and keys deep inside JSON and leaves other values alone', () => {
    expect(
      redactor.redactJson({
        [value]: [value, 1, true, null, { nested: `x${value}y` }],
        ok: 'fine',
      }),
    ).toEqual({ [REDACTED]: [REDACTED, 1, true, null, { nested: `x${REDACTED}y` }], ok: 'fine' });
  });

  it('masks nothing without values, and ignores empty values', () => {
    expect(new SecretRedactor([]).empty).toBe(true);
    expect(new SecretRedactor(['']).empty).toBe(true);
    expect(secretForms('')).toEqual([]);
    expect(new SecretRedactor([]).redact(value)).toBe(value);
  });

  it('masks a value read with a trailing newline as the value without it', () => {
    const fromFile = new SecretRedactor(['hunter2-secret\n']);
    expect(fromFile.redact('pw=hunter2-secret;')).toBe(`pw=${REDACTED};`);
  });

  it('masks each line of a multi-line value, as logs arrive line by line', () => {
    const pem =
      '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----\n';
    const lines = new SecretRedactor([pem]);
    expect(lines.redact('MIIEvQIBADANBgkqhkiG9w0')).toBe(REDACTED);
    expect(lines.redact(pem)).toBe(REDACTED);
    expect(lines.redact('short')).toBe('short');
  });
});
