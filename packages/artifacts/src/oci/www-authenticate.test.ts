import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters holding commas', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example/token',
          service: 'registry.example',
          scope: 'repository:a/b:pull,push',
        },
      },
    ]);
  });

  it('reads Basic, unquoted values, escapes and several challenges', () => {
    expect(
      parseWwwAuthenticate(
        'Basic realm="x \\"y\\"", Bearer realm=https://t/token, error=insufficient_scope',
      ),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'x "y"' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', error: 'insufficient_scope' } },
    ]);
  });

  it('reads a scheme without parameters and ignores nothing-like input', () => {
    expect(parseWwwAuthenticate('Negotiate')).toEqual([{ scheme: 'negotiate', params: {} }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});
