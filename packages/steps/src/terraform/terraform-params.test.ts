import { describe, expect, it } from 'vitest';
import { maskerFor } from './log-masking.js';
import { terraformParams } from './terraform-params.js';

const issues = (raw: unknown) => {
  const parsed = terraformParams.safeParse(raw);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
};

describe('TERRAFORM:SYNTHESIZE params', () => {
  it('accepts the FORMAT.md params with JSON variables, NEVER by default', () => {
    expect(terraformParams.parse({ source: 'infra' })).toEqual({
      source: 'infra',
      variables: {},
      requires_approval: 'NEVER',
    });
    expect(
      terraformParams.parse({
        source: 'infra/app',
        variables: { name: 'web', count: 3, tags: { team: 'a' }, zones: ['a', 'b'], off: null },
        requires_approval: 'DESTRUCTIVE_CHANGES_ONLY',
      }),
    ).toEqual({
      source: 'infra/app',
      variables: { name: 'web', count: 3, tags: { team: 'a' }, zones: ['a', 'b'], off: null },
      requires_approval: 'DESTRUCTIVE_CHANGES_ONLY',
    });
  });

  it('refuses unknown keys, bad variable names and anything left unresolved', () => {
    expect(issues({ source: 'infra', vars: {} })[0]).toMatch(/vars/);
    expect(issues({ source: 'infra', requires_approval: 'SOMETIMES' })).toHaveLength(1);
    expect(
      issues({
        source: '[OUTPUT:build/dir]',
        variables: { '1bad': 'x', nested: { token: '[SECRET:TOKEN]' }, list: ['${{ vars.x }}'] },
        requires_approval: '${{ vars.mode }}',
      }),
    ).toEqual([
      'source: still holds an unresolved expression or marker ("[OUTPUT:build/dir]"); it must be resolved before the step runs',
      'variables.1bad: "1bad" is not a Terraform variable name: use letters, digits, _ and -, starting with a letter or _',
      'variables.nested.token: still holds an unresolved expression or marker ("[SECRET:TOKEN]"); it must be resolved before the step runs',
      'variables.list.0: still holds an unresolved expression or marker ("${{ vars.x }}"); it must be resolved before the step runs',
      'requires_approval: expected one of ALWAYS, NEVER, DESTRUCTIVE_CHANGES_ONLY, got the unresolved "${{ vars.mode }}"',
    ]);
    expect(issues({ source: 'infra', variables: '${{ vars.all }}' })[0]).toMatch(
      /^variables: expected a map/,
    );
  });
});

describe('log masking', () => {
  it('masks the credentials and the values of secret-named variables, nothing else', () => {
    const mask = maskerFor(
      { accessKeyId: 'ASIAKEY', secretAccessKey: 'secret-key-123', sessionToken: 'session-456' },
      {
        db_password: 'p"ss\\word',
        api_token: { primary: 'tok-primary', port: 8443, enabled: true },
        name: 'web-service',
        short_secret: 'abc',
      },
    );
    expect(
      mask(
        'key secret-key-123 token session-456 pw p\\"ss\\\\word tok-primary 8443 true web-service abc',
      ),
    ).toBe(
      'key [REDACTED] token [REDACTED] pw [REDACTED] [REDACTED] [REDACTED] true web-service abc',
    );
  });
});
