import { describe, expect, it } from 'vitest';
import { ecrHost, ecrRepository, type EcrLogin } from './ecr-registry.js';

const credentials = { username: 'AWS', password: 'token' };

describe('ecrRepository', () => {
  it('puts a repository of real ECR on its account and region host', () => {
    const login: EcrLogin = {
      registry: '222222222222.dkr.ecr.us-east-1.amazonaws.com',
      insecure: false,
      credentials,
    };
    expect(ecrRepository(login, '333333333333', 'eu-west-1', 'web-api')).toEqual({
      registry: '333333333333.dkr.ecr.eu-west-1.amazonaws.com',
      repository: 'web-api',
    });
    const china = { ...login, registry: '222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn' };
    expect(ecrRepository(china, '222222222222', 'cn-north-1', 'x').registry).toBe(
      '222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn',
    );
  });

  it('prefixes account and region on an endpoint override (the sandbox)', () => {
    const login: EcrLogin = { registry: '127.0.0.1:4566', insecure: true, credentials };
    expect(ecrRepository(login, '222222222222', 'us-east-1', 'web-api')).toEqual({
      registry: '127.0.0.1:4566',
      repository: '222222222222/us-east-1/web-api',
    });
  });

  it('recognizes ECR hosts only', () => {
    expect(ecrHost('123456789012.dkr.ecr.us-west-2.amazonaws.com')).toEqual({
      accountId: '123456789012',
      region: 'us-west-2',
    });
    expect(ecrHost('public.ecr.aws')).toBeUndefined();
    expect(ecrHost('127.0.0.1:4566')).toBeUndefined();
  });
});
