import { afterAll, describe, expect, it } from 'vitest';
import {
  MINIMAL_PIPELINE,
  codes,
  describeAll,
  positionOf,
  removeTempRepos,
  validateYaml,
} from '../test-support/pipeline-fixtures.js';
import { loadPolicyText } from './load-policies.js';

afterAll(removeTempRepos);

const F = 'aws_additional_iam_policies.yaml';

describe('loadPolicyText', () => {
  it('normalizes documents: Version defaults to 2012-10-17, Statement, Action and Resource become lists', () => {
    const r = loadPolicyText(
      JSON.stringify([
        {
          Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' },
        },
        {
          Version: '2012-10-17',
          Stages: ['prod'],
          Statement: [
            {
              Sid: 'Tables',
              Effect: 'Deny',
              Action: ['dynamodb:*'],
              Resource: ['*'],
              Condition: { Bool: { 'aws:SecureTransport': false } },
            },
          ],
        },
      ]),
      'p.json',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.policies).toEqual([
      {
        Version: '2012-10-17',
        index: 0,
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::bucket/*'] },
        ],
      },
      {
        Version: '2012-10-17',
        index: 1,
        stages: ['prod'],
        Statement: [
          {
            Sid: 'Tables',
            Effect: 'Deny',
            Action: ['dynamodb:*'],
            Resource: ['*'],
            Condition: { Bool: { 'aws:SecureTransport': false } },
          },
        ],
      },
    ]);
  });

  it('a bad action and a bad resource: POLICY_INVALID at each', () => {
    const text =
      '- Statement:\n    - Effect: Allow\n      Action: [s3GetObject, "s3:*"]\n      Resource: my-bucket\n';
    const r = loadPolicyText(text, F);
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column} ${d.message}`)).toEqual([
      `POLICY_INVALID@${positionOf(text, 's3GetObject').line}:${positionOf(text, 's3GetObject').column} "s3GetObject" is not an IAM action`,
      `POLICY_INVALID@${positionOf(text, 'my-bucket').line}:${positionOf(text, 'my-bucket').column} "my-bucket" is not an ARN or *`,
    ]);
    expect(r.diagnostics[0]?.hint).toContain('service:Action');
  });

  it('a file that is not a list, an empty Statement, a bad Effect, an unknown key: each reported', () => {
    expect(codes(loadPolicyText('{"Statement": []}', 'p.json').diagnostics)).toEqual([
      'POLICY_INVALID',
    ]);
    const text =
      '- Statement: []\n- Statement: { Effect: Maybe, Action: "*", Resource: "*", Principal: "*" }\n';
    const r = loadPolicyText(text, F);
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual([
      'POLICY_INVALID',
      'POLICY_INVALID',
      'SCHEMA_UNKNOWN_KEY',
    ]);
    expect(r.diagnostics.find((d) => d.code === 'SCHEMA_UNKNOWN_KEY')).toMatchObject(
      positionOf(text, 'Principal'),
    );
    expect(r.diagnostics.find((d) => d.message.includes('Effect'))).toMatchObject(
      positionOf(text, 'Maybe'),
    );
  });

  it('bad YAML in a policy file is a YAML diagnostic', () => {
    const r = loadPolicyText('[{"Statement": ', 'p.json');
    expect(r.policies).toEqual([]);
    expect(new Set(codes(r.diagnostics))).toEqual(new Set(['YAML_SYNTAX']));
  });
});

describe('additional policies in a pipeline', () => {
  it('Stages naming an unknown stage: POLICY_INVALID in the policy file, with a suggestion', async () => {
    const policy =
      '[\n  {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n   "Stages": ["dve"]}\n]\n';
    const v = await validateYaml(MINIMAL_PIPELINE, {
      extraFiles: { '.rampart/app/aws_additional_iam_policies.json': policy },
    });
    expect(codes(v.errors)).toEqual(['POLICY_INVALID']);
    const d = v.errors[0];
    expect(d?.file.endsWith('aws_additional_iam_policies.json')).toBe(true);
    expect(d).toMatchObject(positionOf(policy, '"dve"'));
    expect(d?.message).toBe('additional policy #1 names unknown stage "dve"; did you mean "dev"?');
    expect(d?.hint).toBe('Use stage names of the pipeline: dev.');
  });

  it('valid policies end up on the model; Stages may name an ephemeral environment', async () => {
    const pipeline =
      MINIMAL_PIPELINE +
      '  ephemeral_environments:\n    pr:\n      triggers: [{ on: api }]\n      release: [{ on: api }]\n      account_id: "111111111111"\n      region: us-east-1\n';
    const policy =
      '- Statement: { Effect: Allow, Action: "sqs:SendMessage", Resource: "*" }\n  Stages: [ephemeral-pr, dev]\n';
    const v = await validateYaml(pipeline, {
      extraFiles: { '.rampart/app/aws_additional_iam_policies.yaml': policy },
    });
    expect(v.errors, describeAll(v.errors)).toEqual([]);
    expect(v.model?.policies.map((p) => p.stages)).toEqual([['ephemeral-pr', 'dev']]);
  });

  it('problems in the policy file are errors of the pipeline, with the policy file name', async () => {
    const v = await validateYaml(MINIMAL_PIPELINE, {
      extraFiles: {
        '.rampart/app/aws_additional_iam_policies.json':
          '[{"Statement": {"Effect": "Allow", "Action": "nope", "Resource": "*"}}]',
      },
    });
    expect(v.errors.map((d) => [d.code, d.file.split('/').pop()])).toEqual([
      ['POLICY_INVALID', 'aws_additional_iam_policies.json'],
    ]);
    expect(v.model).toBeUndefined();
  });
});
