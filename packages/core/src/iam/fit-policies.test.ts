import { describe, expect, it } from 'vitest';
import type { NamedPolicy } from './additional-policies.js';
import {
  INLINE_POLICIES_LIMIT,
  MANAGED_POLICIES_PER_ROLE,
  MANAGED_POLICY_LIMIT,
  fitPolicies,
} from './fit-policies.js';
import { policySize, type PolicyDocumentStatement } from './policy-document.js';

/** A statement of roughly `chars` characters. */
function statementOf(sid: string, chars: number): PolicyDocumentStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: `arn:aws:s3:::${'b'.repeat(Math.max(1, chars - 80))}/*`,
  };
}

function named(name: string, statements: PolicyDocumentStatement[]): NamedPolicy {
  return { name, document: { Version: '2012-10-17', Statement: statements } };
}

describe('fitPolicies', () => {
  it('keeps policies inline while their total fits the role limit', () => {
    const input = [named('a', [statementOf('A', 4000)]), named('b', [statementOf('B', 4000)])];
    const { policies, notes } = fitPolicies(input, 'role');
    expect(policies.map((p) => [p.name, p.kind])).toEqual([
      ['a', 'inline'],
      ['b', 'inline'],
    ]);
    expect(policies[0]?.size).toBe(policySize(input[0]!.document));
    expect(notes).toEqual([]);
  });

  it('moves every policy to managed policies when the inline total is over the limit', () => {
    const input = [
      named('steps', [statementOf('A', 3000), statementOf('B', 3000), statementOf('C', 3000)]),
      named('extra', [statementOf('D', 2000)]),
    ];
    expect(input.reduce((n, p) => n + policySize(p.document), 0)).toBeGreaterThan(
      INLINE_POLICIES_LIMIT,
    );
    const { policies, notes } = fitPolicies(input, 'rampart-acme-web-prod');
    expect(policies.map((p) => p.name)).toEqual(['steps-1', 'steps-2', 'extra']);
    expect(policies.every((p) => p.kind === 'managed' && p.size <= MANAGED_POLICY_LIMIT)).toBe(
      true,
    );
    // Statements keep their order across the parts.
    expect(policies.flatMap((p) => p.document.Statement.map((s) => s.Sid))).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ code: 'POLICIES_MANAGED', severity: 'info' });
    expect(notes[0]?.message).toContain('rampart-acme-web-prod');
    expect(notes[0]?.message).toContain('3 managed policies');
  });

  it('reports a statement too large for any managed policy', () => {
    const input = [named('huge', [statementOf('A', 7000)]), named('b', [statementOf('B', 4000)])];
    const { policies, notes } = fitPolicies(input, 'role');
    expect(policies.map((p) => p.name)).toEqual(['huge', 'b']);
    expect(notes.map((n) => n.code)).toEqual(['POLICIES_MANAGED', 'POLICY_TOO_LARGE']);
    expect(notes[1]?.message).toContain('huge');
  });

  it('reports more managed policies than a role takes', () => {
    const input = Array.from({ length: MANAGED_POLICIES_PER_ROLE + 1 }, (_, i) =>
      named(`p${i}`, [statementOf('A', 1000)]),
    );
    const { policies, notes } = fitPolicies(input, 'role');
    expect(policies).toHaveLength(MANAGED_POLICIES_PER_ROLE + 1);
    expect(notes.map((n) => [n.code, n.severity])).toEqual([
      ['POLICIES_MANAGED', 'info'],
      ['POLICY_TOO_LARGE', 'error'],
    ]);
  });

  it('returns nothing for no policies', () => {
    expect(fitPolicies([], 'role')).toEqual({ policies: [], notes: [] });
  });
});
