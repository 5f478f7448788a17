import { describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import { RESOURCE_NAME_LIMITS, resourceName, type ResourceKind } from './resource-name.js';
import { shortHash } from './short-hash.js';

const kinds: ResourceKind[] = ['s3-bucket', 'ecr-repository', 'iam-role', 'cfn-stack'];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRampartError(e) ? e.code : 'not a RampartError';
  }
  return undefined;
}

describe('resourceName normalization', () => {
  it('joins parts with hyphens and lowercases', () => {
    expect(resourceName('s3-bucket', ['123456789012', 'My-App', 'Web'])).toBe(
      '123456789012-my-app-web',
    );
    expect(resourceName('ecr-repository', ['Shop', 'prod', 'API'])).toBe('shop-prod-api');
    expect(resourceName('iam-role', ['Rampart', 'Shop', 'Prod'])).toBe('rampart-shop-prod');
  });

  it('keeps case for stack names', () => {
    expect(resourceName('cfn-stack', ['Rampart', 'shop', 'Stage'])).toBe('Rampart-shop-Stage');
  });

  it('turns other characters into one hyphen, collapses runs and trims', () => {
    expect(resourceName('ecr-repository', ['--a__b', '', 'c..d--'])).toBe('a-b-c-d');
    expect(resourceName('iam-role', ['role+name=x,y.z@w'])).toBe('role-name-x-y-z-w');
    expect(resourceName('s3-bucket', [' my  bucket '])).toBe('my-bucket');
  });

  it('replaces letters outside ASCII', () => {
    expect(resourceName('s3-bucket', ['123456789012', 'Café', 'Ünï'])).toBe('123456789012-caf-n');
    expect(resourceName('cfn-stack', ['Rampart', 'Straße', 'Stage'])).toBe('Rampart-Stra-e-Stage');
  });

  it('prefixes stack names that do not start with a letter', () => {
    expect(resourceName('cfn-stack', ['1st', 'Stage'])).toBe('stack-1st-Stage');
    expect(resourceName('cfn-stack', ['_9'])).toBe('stack-9');
  });
});

describe('resourceName length limits', () => {
  it('has the AWS limits', () => {
    expect(RESOURCE_NAME_LIMITS).toEqual({
      's3-bucket': 63,
      'ecr-repository': 256,
      'iam-role': 64,
      'cfn-stack': 128,
    });
  });

  for (const kind of kinds) {
    const limit = RESOURCE_NAME_LIMITS[kind];
    it(`${kind}: keeps a name of exactly ${limit} characters`, () => {
      const name = 'a' + 'b'.repeat(limit - 1);
      expect(resourceName(kind, [name])).toBe(name);
    });

    it(`${kind}: cuts a name of ${limit + 1} characters to exactly ${limit} with a hash`, () => {
      const name = 'a' + 'b'.repeat(limit);
      const result = resourceName(kind, [name]);
      expect(result).toHaveLength(limit);
      expect(result).toBe(`${name.slice(0, limit - 7)}-${shortHash(name)}`);
    });

    it(`${kind}: cuts a very long name to exactly ${limit}`, () => {
      const parts = Array.from({ length: 200 }, (_, i) => `part${i}`);
      const result = resourceName(kind, parts);
      expect(result).toHaveLength(limit);
      expect(result).toMatch(/-[0-9a-f]{6}$/);
      expect(result).not.toMatch(/--/);
      expect(result.startsWith('part0-part1-')).toBe(true);
    });
  }

  it('pins the truncated form of a fixed name', () => {
    const long = '123456789012-' + 'x'.repeat(60);
    expect(resourceName('s3-bucket', [long])).toBe(`123456789012-${'x'.repeat(43)}-fd9a86`);
  });

  it('hashes the full normalized name, so names differing only past the cut stay distinct', () => {
    const base = 'x'.repeat(70);
    const a = resourceName('s3-bucket', [base, 'one']);
    const b = resourceName('s3-bucket', [base, 'two']);
    expect(a.slice(0, 56)).toBe(b.slice(0, 56));
    expect(a).not.toBe(b);
    expect(a).toBe(resourceName('s3-bucket', [base, 'one']));
  });

  it('never leaves a double hyphen where the cut falls on a hyphen', () => {
    // 55 x's then '-': the kept head (56 chars) would end with '-'.
    const name = 'x'.repeat(55) + '-yyyyyyyyyyyyyyyyyyyy';
    const result = resourceName('s3-bucket', [name]);
    expect(result).toHaveLength(63);
    expect(result).toBe(`${'x'.repeat(55)}y-${shortHash(name)}`);
  });

  it('counts a stack prefix towards the limit', () => {
    const result = resourceName('cfn-stack', ['9'.repeat(130)]);
    expect(result).toHaveLength(128);
    expect(result.startsWith('stack-999')).toBe(true);
  });
});

describe('resourceName rejects unusable names', () => {
  it('rejects names that normalize to nothing', () => {
    for (const kind of kinds)
      expect(codeOf(() => resourceName(kind, ['---', '日本']))).toBe('RESOURCE_NAME_INVALID');
    expect(codeOf(() => resourceName('iam-role', []))).toBe('RESOURCE_NAME_INVALID');
  });

  it('enforces minimum lengths of S3 (3) and ECR (2)', () => {
    expect(codeOf(() => resourceName('s3-bucket', ['ab']))).toBe('RESOURCE_NAME_INVALID');
    expect(resourceName('s3-bucket', ['abc'])).toBe('abc');
    expect(codeOf(() => resourceName('ecr-repository', ['a']))).toBe('RESOURCE_NAME_INVALID');
    expect(resourceName('ecr-repository', ['ab'])).toBe('ab');
    expect(resourceName('iam-role', ['a'])).toBe('a');
  });

  it('rejects bucket names S3 reserves', () => {
    expect(codeOf(() => resourceName('s3-bucket', ['sthree', 'data']))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(codeOf(() => resourceName('s3-bucket', ['amzn', 's3', 'demo', 'x']))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(codeOf(() => resourceName('s3-bucket', ['data', 's3alias']))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(resourceName('ecr-repository', ['sthree', 'data'])).toBe('sthree-data');
  });
});
