import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, revisionOfDeploymentId } from './deployment-views.js';

describe('redactSecrets', () => {
  it('hides values under secret-looking names at any depth and keeps the rest', () => {
    expect(
      redactSecrets({
        image: 'web:1',
        api_token: 'abc',
        DB_PASSWORD: 'pw',
        nested: [{ clientSecret: 'x', region: 'us-east-1' }],
        'private-key': '-----BEGIN',
        apiKey: 'k',
      }),
    ).toEqual({
      image: 'web:1',
      api_token: REDACTED,
      DB_PASSWORD: REDACTED,
      nested: [{ clientSecret: REDACTED, region: 'us-east-1' }],
      'private-key': REDACTED,
      apiKey: REDACTED,
    });
    expect(redactSecrets('token')).toBe('token');
  });
});

describe('revisionOfDeploymentId', () => {
  it('reads the number after the last colon', () => {
    expect(revisionOfDeploymentId('web:12')).toBe(12);
    expect(revisionOfDeploymentId('web/rollback/1')).toBeUndefined();
  });
});
