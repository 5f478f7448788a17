import { isValidatedPolicy } from '@cloud-copilot/iam-policy';
import { describe, expect, it } from 'vitest';
import { forSimulation, parsePolicyDocument } from './policy-documents.js';

const allowAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

describe('shared policy documents', () => {
  it('parses each distinct text once and shares the result', () => {
    const first = parsePolicyDocument(allowAll);
    expect(first).toEqual(JSON.parse(allowAll));
    expect(parsePolicyDocument(allowAll)).toBe(first);
    expect(parsePolicyDocument(allowAll.replace('*"}', '*" }'))).not.toBe(first);
  });

  it('freezes documents all the way down, so no request can change another’s', () => {
    const document = parsePolicyDocument(allowAll) as {
      Statement: { Effect: string; Action: string[] }[];
    };
    expect(() => {
      document.Statement.push({ Effect: 'Deny', Action: ['*'] });
    }).toThrow(TypeError);
    expect(() => {
      (document.Statement[0] as { Effect: string }).Effect = 'Deny';
    }).toThrow(TypeError);
    expect(document.Statement[0]?.Effect).toBe('Allow');
  });

  it('throws on malformed JSON, as JSON.parse does', () => {
    expect(() => parsePolicyDocument('{"Version":')).toThrow(SyntaxError);
  });

  it('hands iam-simulate shared documents with their validation done once per side', () => {
    // A statement with a Principal is a valid resource policy but an invalid identity policy.
    const document = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
            Action: 's3:GetObject',
            Resource: '*',
          },
        ],
      }),
    );
    const resource = forSimulation(document, 'resource');
    expect(isValidatedPolicy(resource)).toBe(true);
    expect(forSimulation(document, 'resource')).toBe(resource);
    expect((resource as { errors: unknown[] }).errors).toEqual([]);
    const identity = forSimulation(document, 'identity') as { errors: { message: string }[] };
    expect(isValidatedPolicy(identity)).toBe(true);
    expect(identity.errors.map((error) => error.message)).toEqual([
      'Principal is not allowed in an identity policy statement',
    ]);
  });

  it('passes other documents through unchanged, for iam-simulate to validate itself', () => {
    const own = JSON.parse(allowAll) as unknown;
    expect(forSimulation(own, 'identity')).toBe(own);
    expect(forSimulation(undefined, 'resource')).toBeUndefined();
  });
});
