import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../framework/aws-error.js';
import { evaluateConditions } from './conditions.js';
import {
  hasUnknown,
  NO_VALUE,
  resolveValue,
  UNKNOWN,
  type Resolved,
  type ResolveScope,
} from './intrinsics.js';
import { parseTemplate } from './parse-template.js';
import type { TemplateValue } from './template-types.js';

const TEMPLATE = parseTemplate(`
Parameters:
  Env: {Type: String, Default: prod}
  Zones: {Type: CommaDelimitedList, Default: 'a, b'}
Mappings:
  Sizes:
    prod: {Count: 3, Name: big}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [x, x]]
  Either: !Or [!Condition IsDev, !Equals [!Ref AWS::Region, us-east-1]]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
`);

function scope(overrides: Partial<ResolveScope> = {}): ResolveScope {
  const base = {
    accountId: '333333333333',
    region: 'us-east-1',
    stackName: 'app',
    stackId: 'arn:aws:cloudformation:us-east-1:333333333333:stack/app/1',
    notificationArns: [],
    template: TEMPLATE,
    parameters: { Env: 'prod', Zones: ['a', 'b'] },
  };
  const conditions = evaluateConditions(TEMPLATE, base);
  return {
    ...base,
    condition: (name) => conditions[name] ?? false,
    resourceRef: (id) => (id === 'Bucket' ? 'my-bucket' : `ref-${id}`),
    resourceAttribute: (id, attribute) => `${id}.${attribute}`,
    importValue: (name) => `imported-${name}`,
    ...overrides,
  };
}

const resolve = (value: TemplateValue, s = scope()): Resolved | typeof NO_VALUE =>
  resolveValue(value, s);

function templateErrorOf(value: TemplateValue): string {
  try {
    resolve(value);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(AwsError);
    return (error as AwsError).message;
  }
  throw new Error('expected an error');
}

describe('conditions', () => {
  it('evaluates Equals, Not, And, Or and Condition references', () => {
    const base = scope();
    expect(['IsProd', 'IsDev', 'Both', 'Either'].map((name) => base.condition(name))).toEqual([
      true,
      false,
      true,
      true,
    ]);
    const dev = evaluateConditions(TEMPLATE, {
      ...base,
      parameters: { Env: 'dev', Zones: [] },
      region: 'eu-west-1',
    });
    expect(dev).toEqual({ IsProd: false, IsDev: true, Both: false, Either: true });
  });

  it('rejects conditions that are not booleans or that loop', () => {
    const bad = parseTemplate(
      'Conditions: {C: !Ref AWS::Region, L1: !Condition L2, L2: !Condition L1}\nResources: {A: {Type: AWS::S3::Bucket}}',
    );
    expect(() => evaluateConditions(bad, scope({ template: bad }))).toThrow(
      /Condition C must evaluate to a boolean/,
    );
    const loop = parseTemplate(
      'Conditions: {L1: !Condition L2, L2: !Condition L1}\nResources: {A: {Type: AWS::S3::Bucket}}',
    );
    expect(() => evaluateConditions(loop, scope({ template: loop }))).toThrow(
      'Template error: Circular dependency between conditions: [L1, L2, L1]',
    );
  });
});

describe('intrinsic functions', () => {
  it('Ref: parameters, lists, pseudo parameters, resources and NoValue', () => {
    expect(resolve({ Ref: 'Env' })).toBe('prod');
    expect(resolve({ Ref: 'Zones' })).toEqual(['a', 'b']);
    expect(
      resolve([
        { Ref: 'AWS::AccountId' },
        { Ref: 'AWS::Region' },
        { Ref: 'AWS::StackName' },
        { Ref: 'AWS::StackId' },
        { Ref: 'AWS::Partition' },
        { Ref: 'AWS::URLSuffix' },
      ]),
    ).toEqual([
      '333333333333',
      'us-east-1',
      'app',
      'arn:aws:cloudformation:us-east-1:333333333333:stack/app/1',
      'aws',
      'amazonaws.com',
    ]);
    expect(resolve({ Ref: 'Bucket' })).toBe('my-bucket');
    expect(
      resolve({ a: 1, b: { Ref: 'AWS::NoValue' }, c: [1, { Ref: 'AWS::NoValue' }, 2] }),
    ).toEqual({
      a: 1,
      c: [1, 2],
    });
    expect(resolve({ Ref: 'AWS::NoValue' })).toBe(NO_VALUE);
  });

  it('Fn::Sub: both forms, pseudo parameters, attributes and ${!Literal}', () => {
    expect(resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}-${Env}' })).toBe(
      'arn:aws:s3:::my-bucket/${Literal}-prod',
    );
    expect(resolve({ 'Fn::Sub': '${Role.Arn} in ${AWS::Region}' })).toBe('Role.Arn in us-east-1');
    expect(
      resolve({ 'Fn::Sub': ['${Name}-${Env}', { Name: { 'Fn::Join': ['-', ['x', 'y']] } }] }),
    ).toBe('x-y-prod');
    expect(templateErrorOf({ 'Fn::Sub': '${Zones}' })).toBe(
      'Template error: variable Zones in Fn::Sub expression does not resolve to a string',
    );
  });

  it('Fn::GetAtt in both forms, with a computed attribute name', () => {
    expect(resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('Role.Arn');
    expect(resolve({ 'Fn::GetAtt': 'Role.RoleId' })).toBe('Role.RoleId');
    expect(resolve({ 'Fn::GetAtt': ['Role', { Ref: 'Env' }] })).toBe('Role.prod');
  });

  it('Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::GetAZs, Fn::Base64, Fn::FindInMap, Fn::ImportValue', () => {
    expect(resolve({ 'Fn::Join': [':', ['a', { Ref: 'Env' }, 3]] })).toBe('a:prod:3');
    expect(resolve({ 'Fn::Join': [',', { Ref: 'Zones' }] })).toBe('a,b');
    expect(resolve({ 'Fn::Select': ['1', { 'Fn::Split': ['/', 'x/y/z'] }] })).toBe('y');
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] })).toBe('big');
    expect(resolve({ 'Fn::If': ['IsDev', 'big', { Ref: 'AWS::NoValue' }] })).toBe(NO_VALUE);
    expect(resolve({ 'Fn::GetAZs': '' })).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(resolve({ 'Fn::GetAZs': 'eu-west-1' })).toEqual([
      'eu-west-1a',
      'eu-west-1b',
      'eu-west-1c',
    ]);
    expect(resolve({ 'Fn::Base64': 'hello' })).toBe('aGVsbG8=');
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Count'] })).toBe(3);
    expect(resolve({ 'Fn::ImportValue': { 'Fn::Sub': '${Env}-vpc' } })).toBe('imported-prod-vpc');
  });

  it('reports misuse as AWS does', () => {
    expect(templateErrorOf({ 'Fn::Select': [5, ['a']] })).toBe(
      'Template error: Fn::Select cannot select nonexistent value at index 5',
    );
    expect(templateErrorOf({ 'Fn::FindInMap': ['Sizes', 'dev', 'Count'] })).toBe(
      'Template error: Unable to get mapping for Sizes::dev::Count',
    );
    expect(templateErrorOf({ 'Fn::Join': [',', 'not-a-list'] })).toMatch(
      /^Template error: Fn::Join list must resolve to a list/,
    );
    expect(templateErrorOf({ 'Fn::Join': ['only-one'] })).toMatch(
      /every Fn::Join object requires two parameters/,
    );
  });

  it('propagates values not known yet', () => {
    const planning = scope({ resourceRef: () => UNKNOWN, resourceAttribute: () => UNKNOWN });
    expect(resolve({ 'Fn::Sub': 'x-${Bucket}' }, planning)).toBe(UNKNOWN);
    expect(resolve({ 'Fn::Join': ['', ['a', { Ref: 'Bucket' }]] }, planning)).toBe(UNKNOWN);
    const nested = resolve(
      { Policy: { Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } }, Name: 'x' },
      planning,
    );
    expect(hasUnknown(nested as Resolved)).toBe(true);
    expect(resolve({ Name: { Ref: 'Env' } }, planning)).toEqual({ Name: 'prod' });
  });
});
