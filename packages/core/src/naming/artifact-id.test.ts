import { describe, expect, it } from 'vitest';
import { artifactIdFromName } from './artifact-id.js';

describe('artifactIdFromName', () => {
  it('lowercases and turns each run of other characters into one hyphen', () => {
    expect(artifactIdFromName('API Server')).toBe('api-server');
    expect(artifactIdFromName('API  Server (v2)')).toBe('api-server-v2');
    expect(artifactIdFromName('web_app.bundle')).toBe('web-app-bundle');
    expect(artifactIdFromName('a---b')).toBe('a-b');
  });

  it('trims leading and trailing hyphens', () => {
    expect(artifactIdFromName('  --Backend--  ')).toBe('backend');
    expect(artifactIdFromName('(worker)')).toBe('worker');
  });

  it('keeps ids that are already normalized', () => {
    expect(artifactIdFromName('backend-2')).toBe('backend-2');
  });

  it('treats letters outside ASCII as other characters', () => {
    expect(artifactIdFromName('Café Frontend')).toBe('caf-frontend');
    expect(artifactIdFromName('Ünïcode App')).toBe('n-code-app');
    expect(artifactIdFromName('app 🚀 v1')).toBe('app-v1');
  });

  it('returns an empty id when nothing usable remains', () => {
    expect(artifactIdFromName('日本語')).toBe('');
    expect(artifactIdFromName('---')).toBe('');
    expect(artifactIdFromName('')).toBe('');
  });
});
