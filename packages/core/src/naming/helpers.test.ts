import { describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import {
  bundleBucketName,
  imageRepositoryName,
  stageBundleBucketPattern,
} from './artifact-copies.js';
import { oidcSubject } from './oidc-subject.js';
import {
  ACCOUNT_STACK_NAME,
  orgStackName,
  pipelineStackName,
  stageStackName,
} from './stack-names.js';
import { stageRoleName } from './stage-role.js';
import { terraformStateKey, terraformStatePrefix } from './terraform-state.js';
import { shortHash } from './short-hash.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRampartError(e) ? e.code : 'not a RampartError';
  }
  return undefined;
}

describe('artifact copies', () => {
  it('names image repositories in the CI/CD account and in stages', () => {
    expect(imageRepositoryName({ slug: 'shop', artifactId: 'api' })).toBe('shop-api');
    expect(imageRepositoryName({ slug: 'shop', stage: 'prod-eu', artifactId: 'api' })).toBe(
      'shop-prod-eu-api',
    );
  });

  it('names bundle buckets with the owning account id', () => {
    expect(bundleBucketName({ accountId: '111111111111', slug: 'shop', artifactId: 'web' })).toBe(
      '111111111111-shop-web',
    );
    expect(
      bundleBucketName({
        accountId: '222222222222',
        slug: 'shop',
        stage: 'prod',
        artifactId: 'web',
      }),
    ).toBe('222222222222-shop-prod-web');
  });

  it('cuts long bucket names to 63 characters with a hash of the full name', () => {
    const input = {
      accountId: '222222222222',
      slug: 'a-very-long-pipeline-slug',
      stage: 'production-us-east-1',
      artifactId: 'frontend-static-assets',
    };
    const full =
      '222222222222-a-very-long-pipeline-slug-production-us-east-1-frontend-static-assets';
    const name = bundleBucketName(input);
    expect(name).toHaveLength(63);
    expect(name).toBe(`${full.slice(0, 56)}-${shortHash(full)}`);
  });
});

describe('stageBundleBucketPattern', () => {
  const matches = (pattern: string, name: string): boolean =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(
      name,
    );

  it('is the stage prefix followed by a wildcard', () => {
    expect(
      stageBundleBucketPattern({ accountId: '222222222222', slug: 'shop', stage: 'prod' }),
    ).toBe('222222222222-shop-prod-*');
  });

  it('matches the bucket of every artifact of the stage, cut or not, and no other stage', () => {
    for (const slug of ['shop', 'a-rather-long-pipeline-slug-name']) {
      const input = { accountId: '222222222222', slug, stage: 'production-eu' };
      const pattern = stageBundleBucketPattern(input);
      for (const artifactId of ['web', 'x'.repeat(40), 'a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p']) {
        expect(matches(pattern, bundleBucketName({ ...input, artifactId }))).toBe(true);
      }
      if (pattern.length < 40) {
        expect(
          matches(pattern, bundleBucketName({ ...input, stage: 'dev', artifactId: 'web' })),
        ).toBe(false);
      }
    }
  });

  it('stays within what survives a cut when the prefix is long', () => {
    const pattern = stageBundleBucketPattern({
      accountId: '222222222222',
      slug: 's'.repeat(30),
      stage: 'p'.repeat(30),
    });
    expect(pattern).toHaveLength(56);
    expect(pattern.endsWith('*')).toBe(true);
  });
});

describe('stageRoleName', () => {
  it('includes the org when given', () => {
    expect(stageRoleName({ org: 'acme', slug: 'shop', stage: 'prod' })).toBe(
      'rampart-acme-shop-prod',
    );
    expect(stageRoleName({ slug: 'shop', stage: 'prod' })).toBe('rampart-shop-prod');
  });

  it('stays within 64 characters', () => {
    const name = stageRoleName({ org: 'acme', slug: 's'.repeat(40), stage: 'p'.repeat(40) });
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^rampart-acme-s{40}-p{3}-[0-9a-f]{6}$/);
  });
});

describe('stack names', () => {
  it('keeps case and follows the fixed patterns', () => {
    expect(ACCOUNT_STACK_NAME).toBe('Rampart-Account');
    expect(orgStackName({ org: 'acme' })).toBe('Rampart-acme-Org');
    expect(pipelineStackName({ slug: 'shop' })).toBe('Rampart-shop-Pipeline');
    expect(stageStackName({ slug: 'shop', stage: 'prod-eu' })).toBe('Rampart-shop-prod-eu-Stage');
  });

  it('normalizes odd characters in an org name', () => {
    expect(orgStackName({ org: 'Acme Corp.' })).toBe('Rampart-Acme-Corp-Org');
  });
});

describe('terraform state key', () => {
  it('is <slug>/<stage>/terraform.tfstate', () => {
    expect(terraformStateKey({ slug: 'shop', stage: 'prod' })).toBe('shop/prod/terraform.tfstate');
    expect(terraformStatePrefix({ slug: 'shop', stage: 'prod' })).toBe('shop/prod/');
  });

  it('rejects parts that would escape the prefix', () => {
    expect(codeOf(() => terraformStateKey({ slug: 'shop/other', stage: 'prod' }))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(codeOf(() => terraformStateKey({ slug: 'shop', stage: '' }))).toBe(
      'RESOURCE_NAME_INVALID',
    );
    expect(codeOf(() => terraformStateKey({ slug: '..', stage: 'prod' }))).toBe(
      'RESOURCE_NAME_INVALID',
    );
  });
});

describe('oidcSubject', () => {
  it('is org:<org>/pipeline:<slug>/stage:<stage>', () => {
    expect(oidcSubject({ org: 'acme', slug: 'shop', stage: 'prod' })).toBe(
      'org:acme/pipeline:shop/stage:prod',
    );
  });

  it('rejects separators and wildcards that could forge another subject', () => {
    for (const bad of ['a/pipeline:x', 'a:b', 'x*', 'x?', '', ' acme', 'ac me']) {
      expect(codeOf(() => oidcSubject({ org: bad, slug: 'shop', stage: 'prod' }))).toBe(
        'RESOURCE_NAME_INVALID',
      );
    }
    expect(codeOf(() => oidcSubject({ org: 'acme', slug: 'shop', stage: 'prod/stage:x' }))).toBe(
      'RESOURCE_NAME_INVALID',
    );
  });
});
