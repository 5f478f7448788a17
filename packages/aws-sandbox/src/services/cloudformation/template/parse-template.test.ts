import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../framework/aws-error.js';
import { MAX_TEMPLATE_BODY_BYTES, parseTemplate, parseTemplateValue } from './parse-template.js';

function failure(body: string): string {
  try {
    parseTemplate(body);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ValidationError');
    return (error as AwsError).message;
  }
  throw new Error('expected a ValidationError');
}

const wrap = (resources: string): string => `Resources:\n${resources}`;

describe('YAML short-form tags', () => {
  it('turns every short form into its long form', () => {
    const value = parseTemplateValue(`
A: !Ref Param
B: !Sub 'arn:\${AWS::Partition}:s3:::\${Bucket}'
C: !Sub ['\${x}-\${y}', {x: !Ref P, y: !GetAtt R.Arn}]
D: !GetAtt Role.Arn
E: !GetAtt [Role, RoleId]
F: !GetAtt Res.Nested.Attr
G: !Join [',', [a, b]]
H: !If [Cond, yes, !Ref AWS::NoValue]
I: !Equals [a, b]
J: !Not [!Condition Other]
K: !And [!Equals [a, a], !Condition Other]
L: !Or [!Equals [a, b], !Condition Other]
M: !Select [1, !Split [',', 'a,b,c']]
N: !ImportValue shared-vpc
O: !GetAZs ''
P: !GetAZs
Q: !Base64 hello
R: !FindInMap [Map, !Ref AWS::Region, Ami]
`);
    expect(value).toEqual({
      A: { Ref: 'Param' },
      B: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' },
      C: { 'Fn::Sub': ['${x}-${y}', { x: { Ref: 'P' }, y: { 'Fn::GetAtt': ['R', 'Arn'] } }] },
      D: { 'Fn::GetAtt': ['Role', 'Arn'] },
      E: { 'Fn::GetAtt': ['Role', 'RoleId'] },
      F: { 'Fn::GetAtt': ['Res', 'Nested.Attr'] },
      G: { 'Fn::Join': [',', ['a', 'b']] },
      H: { 'Fn::If': ['Cond', 'yes', { Ref: 'AWS::NoValue' }] },
      I: { 'Fn::Equals': ['a', 'b'] },
      J: { 'Fn::Not': [{ Condition: 'Other' }] },
      K: { 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { Condition: 'Other' }] },
      L: { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'Other' }] },
      M: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
      N: { 'Fn::ImportValue': 'shared-vpc' },
      O: { 'Fn::GetAZs': '' },
      P: { 'Fn::GetAZs': '' },
      Q: { 'Fn::Base64': 'hello' },
      R: { 'Fn::FindInMap': ['Map', { Ref: 'AWS::Region' }, 'Ami'] },
    });
  });

  it('keeps version strings and resolves anchors', () => {
    const value = parseTemplateValue(`
AWSTemplateFormatVersion: 2010-09-09
Shared: &tags [{Key: a, Value: b}]
Copy: *tags
`);
    expect(value).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Shared: [{ Key: 'a', Value: 'b' }],
      Copy: [{ Key: 'a', Value: 'b' }],
    });
  });

  it('rejects unknown tags, bad YAML and duplicate keys', () => {
    expect(failure(wrap('  A: !Bogus x'))).toBe(
      'Template format error: Unsupported YAML tag !Bogus',
    );
    expect(failure('Resources:\n  A: [unclosed')).toMatch(
      /^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/,
    );
    expect(failure('Resources: {}\nResources: {}')).toMatch(/YAML not well-formed/);
  });
});

describe('JSON templates', () => {
  it('parses JSON bodies', () => {
    const template = parseTemplate(
      JSON.stringify({
        Parameters: { Name: { Type: 'String', Default: 5, AllowedValues: [5, 6], NoEcho: 'true' } },
        Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
      }),
    );
    expect(template.Parameters['Name']).toEqual({
      Type: 'String',
      Default: '5',
      AllowedValues: ['5', '6'],
      NoEcho: true,
    });
    expect(template.Resources['Handle']).toEqual({
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      Properties: {},
      DependsOn: [],
    });
  });

  it('reports where malformed JSON breaks', () => {
    expect(failure('{\n  "Resources": {,\n}')).toMatch(
      /^Template format error: JSON not well-formed\. \(line 2, column \d+\)$/,
    );
  });
});

describe('template checks', () => {
  it('enforces the body size limit', () => {
    const body = `Resources:\n  A: {Type: AWS::CloudFormation::WaitConditionHandle}\n#${'x'.repeat(MAX_TEMPLATE_BODY_BYTES)}`;
    expect(failure(body)).toMatch(/Member must have length less than or equal to 51200/);
  });

  it('needs resources, types and alphanumeric names', () => {
    expect(failure('Description: nothing')).toBe(
      'Template format error: At least one Resources member must be defined.',
    );
    expect(failure(wrap('  A: {Properties: {}}'))).toBe(
      'Template format error: Every Resources object must contain a Type member.',
    );
    expect(failure(wrap('  my-bucket: {Type: AWS::S3::Bucket}'))).toBe(
      'Template format error: Resource name my-bucket is non alphanumeric.',
    );
    expect(failure(`Foo: 1\n${wrap('  A: {Type: AWS::S3::Bucket}')}`)).toBe(
      'Template format error: Invalid template property or properties [Foo]',
    );
  });

  it('rejects unknown parameter types and SSM types', () => {
    expect(failure(`Parameters: {P: {Type: Strin}}\n${wrap('  A: {Type: AWS::S3::Bucket}')}`)).toBe(
      'Template format error: Unrecognized parameter type: Strin',
    );
    expect(
      failure(
        `Parameters: {P: {Type: 'AWS::SSM::Parameter::Value<String>'}}\n${wrap('  A: {Type: AWS::S3::Bucket}')}`,
      ),
    ).toMatch(/SSM parameter types are not emulated/);
  });

  it('finds unresolved references, undefined GetAtt targets and unknown conditions', () => {
    expect(
      failure(wrap('  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref Nope}')),
    ).toBe(
      'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template',
    );
    expect(failure(wrap('  A:\n    Type: AWS::S3::Bucket\n    DependsOn: Missing'))).toBe(
      'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template',
    );
    expect(
      failure(
        wrap("  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Sub '${Ghost.Arn}'}"),
      ),
    ).toBe(
      'Template format error: Unresolved resource dependencies [Ghost.Arn] in the Resources block of the template',
    );
    expect(
      failure(`${wrap('  A: {Type: AWS::S3::Bucket}')}\nOutputs: {O: {Value: !GetAtt B.Arn}}`),
    ).toBe('Template error: instance of Fn::GetAtt references undefined resource B');
    expect(
      failure(`${wrap('  A: {Type: AWS::S3::Bucket}')}\nOutputs: {O: {Value: !Ref Zip}}`),
    ).toBe(
      'Template format error: Unresolved resource dependencies [Zip] in the Outputs block of the template',
    );
    expect(
      failure(
        wrap('  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !If [Nope, a, b]}'),
      ),
    ).toBe('Template error: unresolved condition dependency Nope in Fn::If');
    expect(
      failure(`Conditions: {C: !Equals [!Ref A, x]}\n${wrap('  A: {Type: AWS::S3::Bucket}')}`),
    ).toBe(
      'Template format error: Unresolved dependencies [A]. Cannot reference resources in the Conditions block of the template',
    );
  });

  it('rejects unsupported functions and transforms', () => {
    expect(
      failure(
        wrap('  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: {"Fn::Length": [1]}}'),
      ),
    ).toMatch(/^Template format error: Encountered unsupported function: Fn::Length/);
    expect(
      failure(`Transform: AWS::Serverless-2016-10-31\n${wrap('  A: {Type: AWS::S3::Bucket}')}`),
    ).toMatch(/Transforms .* are not emulated by the sandbox/);
  });

  it('detects circular dependencies and names the cycle', () => {
    const body = wrap(`  A:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref B}
  B:
    Type: AWS::S3::Bucket
    DependsOn: C
  C:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !GetAtt A.Arn}
  D:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref A}`);
    expect(failure(body)).toBe('Circular dependency between resources: [A, B, C]');
  });
});
