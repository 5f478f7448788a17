import { describe, expect, it } from 'vitest';
import { allow, arn, parseArn, withUniqueSids } from './iam-statement.js';

describe('allow', () => {
  it('sorts and de-duplicates actions and leaves out an absent condition', () => {
    const s = allow('X', ['s3:PutObject', 's3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/*');
    expect(s).toEqual({
      Sid: 'X',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::b/*',
    });
    expect('Condition' in s).toBe(false);
  });

  it('de-duplicates resource lists', () => {
    expect(allow('X', ['a:b'], ['r1', 'r1', 'r2']).Resource).toEqual(['r1', 'r2']);
  });
});

describe('arn / parseArn', () => {
  it('builds ARNs with empty region or account where the service has none', () => {
    expect(arn('aws-cn', 's3', '', '', 'bucket')).toBe('arn:aws-cn:s3:::bucket');
    expect(arn('aws', 'iam', '', '123456789012', 'role/*')).toBe(
      'arn:aws:iam::123456789012:role/*',
    );
  });

  it('parses ARNs and keeps separators in the resource', () => {
    expect(parseArn('arn:aws:lambda:us-east-1:123456789012:function:fn:live')).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'function:fn:live',
    });
    expect(parseArn('arn:aws-us-gov:ecs:us-gov-west-1:123456789012:service/c/s')?.resource).toBe(
      'service/c/s',
    );
  });

  it('rejects strings that are not ARNs', () => {
    expect(parseArn('my-function')).toBeUndefined();
    expect(parseArn('arn:aws:lambda')).toBeUndefined();
    expect(parseArn('arn:aws:lambda:us-east-1:12345:function:f')).toBeUndefined();
  });
});

describe('withUniqueSids', () => {
  it('numbers repeated Sids and keeps the first as is', () => {
    const a = allow('EcsDeployService', ['ecs:UpdateService'], '*');
    const out = withUniqueSids([a, a, allow('Other', ['x:y'], '*'), a]);
    expect(out.map((s) => s.Sid)).toEqual([
      'EcsDeployService',
      'EcsDeployService2',
      'Other',
      'EcsDeployService3',
    ]);
  });

  it('does not collide with a Sid that already ends in a number', () => {
    const out = withUniqueSids([
      allow('A', ['x:y'], '*'),
      allow('A2', ['x:y'], '*'),
      allow('A', ['x:y'], '*'),
    ]);
    expect(new Set(out.map((s) => s.Sid)).size).toBe(3);
    expect(out.map((s) => s.Sid)).toEqual(['A', 'A2', 'A3']);
  });
});
