import { describe, expect, it } from 'vitest';
import { sessionName } from './session-name.js';

describe('sessionName', () => {
  it('names the deployment, or exec', () => {
    expect(sessionName('d-123')).toBe('rampart-d-123');
    expect(sessionName(undefined)).toBe('rampart-exec');
    expect(sessionName('')).toBe('rampart-exec');
  });

  it('replaces characters STS refuses and stays within 64 characters', () => {
    expect(sessionName('a b/c:d#e')).toBe('rampart-a-b-c-d-e');
    const long = sessionName('x'.repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
