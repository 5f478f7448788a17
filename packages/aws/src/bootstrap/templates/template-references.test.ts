import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from './cfn-template.js';
import { checkTemplateReferences } from './template-references.js';

function template(parts: Partial<CfnTemplate>): CfnTemplate {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'test',
    Resources: {},
    Outputs: {},
    ...parts,
  };
}

describe('checkTemplateReferences', () => {
  it('accepts references to parameters, resources, pseudo parameters and conditions', () => {
    const t = template({
      Parameters: { Name: { Type: 'String', Description: 'x', Default: '' } },
      Conditions: { HasName: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Name' }, ''] }] } },
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Condition: 'HasName',
          Properties: { BucketName: { Ref: 'Name' } },
        },
        Other: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            Tags: [{ Key: 'a', Value: { Ref: 'AWS::AccountId' } }],
            X: {
              'Fn::If': ['HasName', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, { Ref: 'AWS::NoValue' }],
            },
          },
        },
      },
      Outputs: {
        Arn: { Description: 'x', Value: { 'Fn::If': ['HasName', { Ref: 'Bucket' }, ''] } },
      },
    });
    expect(checkTemplateReferences(t)).toEqual([]);
  });

  it('reports unknown names and conditional resources used where they may not exist', () => {
    const t = template({
      Conditions: { Maybe: { 'Fn::Equals': ['a', 'b'] }, Bad: { Condition: 'Nope' } },
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Condition: 'Maybe', Properties: {} },
        Other: {
          Type: 'AWS::S3::Bucket',
          Condition: 'Missing',
          Properties: {
            A: { Ref: 'Nothing' },
            B: { 'Fn::GetAtt': ['Ghost', 'Arn'] },
            C: { 'Fn::If': ['Unknown', 'x', 'y'] },
          },
        },
      },
      Outputs: { Arn: { Description: 'x', Value: { 'Fn::GetAtt': 'Bucket.Arn' } } },
    });
    expect(checkTemplateReferences(t)).toEqual([
      'Conditions.Bad: unknown condition "Nope"',
      'Resources.Other.Condition: unknown condition "Missing"',
      'Resources.Other.Properties.A: unknown resource "Nothing"',
      'Resources.Other.Properties.B: unknown resource "Ghost"',
      'Resources.Other.Properties.C: unknown condition "Unknown"',
      'Outputs.Arn.Value: Bucket exists only when Maybe holds, which is not known here',
    ]);
  });
});
