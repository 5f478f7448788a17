import { describe, expect, it } from 'vitest';
import { secretReferences, substituteSecrets } from './secret-markers.js';

describe('secret markers', () => {
  const params = {
    command: 'deploy --token [SECRET:API_TOKEN] --db [STAGE_SECRET:db/password]',
    env: { A: '[SECRET:API_TOKEN]', B: '[OUTPUT:infra/vpc]', C: 3 },
    list: ['[STAGE_SECRET:db/password]', null, false],
  };

  it('finds each secret once with its scope, leaving other markers', () => {
    expect(secretReferences(params)).toEqual([
      { scope: 'organization', name: 'API_TOKEN', marker: '[SECRET:API_TOKEN]' },
      { scope: 'stage', name: 'db/password', marker: '[STAGE_SECRET:db/password]' },
    ]);
    expect(secretReferences({ a: 'no markers', b: 1 })).toEqual([]);
  });

  it('substitutes known markers only, without touching the input', () => {
    const values = new Map([['[SECRET:API_TOKEN]', 'tok$1']]);
    expect(substituteSecrets(params, values)).toEqual({
      command: 'deploy --token tok$1 --db [STAGE_SECRET:db/password]',
      env: { A: 'tok$1', B: '[OUTPUT:infra/vpc]', C: 3 },
      list: ['[STAGE_SECRET:db/password]', null, false],
    });
    expect(params.env.A).toBe('[SECRET:API_TOKEN]');
  });
});
