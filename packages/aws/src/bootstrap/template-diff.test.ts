import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from './templates/cfn-template.js';
import { canonicalJson, diffTemplates, isEmptyDiff } from './template-diff.js';

const role = (actions: string[], managed?: string): CfnTemplate['Resources'][string] => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: 'rampart-acme-web-dev',
    Policies: [{ PolicyName: 'steps', PolicyDocument: { Statement: [{ Action: actions }] } }],
    ...(managed === undefined ? {} : { ManagedPolicyArns: [{ Ref: managed }] }),
  },
});
const template = (resources: CfnTemplate['Resources']): CfnTemplate => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'test',
  Resources: resources,
  Outputs: {},
});

describe('diffTemplates', () => {
  it('lists every resource and every action of a stack to create as added', () => {
    const diff = diffTemplates(undefined, template({ StageRole: role(['s3:GetObject']) }));
    expect(diff.resources).toEqual([
      { logicalId: 'StageRole', type: 'AWS::IAM::Role', change: 'add' },
    ]);
    expect(diff.roles).toEqual([
      {
        logicalId: 'StageRole',
        roleName: 'rampart-acme-web-dev',
        actions: ['s3:GetObject'],
        added: ['s3:GetObject'],
        removed: [],
      },
    ]);
  });

  it('marks added, removed and modified resources and the actions a role gains and loses', () => {
    const before = template({
      StageRole: role(['s3:GetObject', 'ecs:UpdateService']),
      Old: { Type: 'AWS::S3::Bucket', Properties: {} },
    });
    const after = template({
      StageRole: role(['s3:GetObject', 's3:PutObject'], 'Extra'),
      Extra: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: { Action: 'kms:Decrypt' } } },
      },
    });
    const diff = diffTemplates(before, after);
    expect(diff.resources).toEqual([
      { logicalId: 'Extra', type: 'AWS::IAM::ManagedPolicy', change: 'add' },
      { logicalId: 'Old', type: 'AWS::S3::Bucket', change: 'remove' },
      { logicalId: 'StageRole', type: 'AWS::IAM::Role', change: 'modify' },
    ]);
    expect(diff.roles[0]).toMatchObject({
      actions: ['kms:Decrypt', 's3:GetObject', 's3:PutObject'],
      added: ['kms:Decrypt', 's3:PutObject'],
      removed: ['ecs:UpdateService'],
    });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('finds no change between equal templates whatever their key order', () => {
    const a = template({ StageRole: role(['s3:GetObject']) });
    const b = JSON.parse(
      JSON.stringify({
        Outputs: {},
        Resources: a.Resources,
        Description: 'test',
        AWSTemplateFormatVersion: '2010-09-09',
      }),
    ) as CfnTemplate;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(isEmptyDiff(diffTemplates(a, b))).toBe(true);
  });

  it('notices changes outside resources (outputs)', () => {
    const a = template({});
    const b: CfnTemplate = { ...a, Outputs: { TemplateVersion: { Description: 'v', Value: '2' } } };
    const diff = diffTemplates(a, b);
    expect(diff.otherChanges).toBe(true);
    expect(isEmptyDiff(diff)).toBe(false);
  });
});
