// Benchmark: CreateStack of a 20-resource template (IAM, S3, KMS, Secrets Manager) until
// CREATE_COMPLETE, against an in-process sandbox with emulated delays at zero (issue 3 target:
// under 1 s). Each run creates real resources in the emulated services, IAM enforced.
// Build first (npx tsc -b packages/aws-sandbox), then: node scripts/bench/cloudformation-create-stack.mjs
import { performance } from 'node:perf_hooks';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { startSandbox } from '@rampart/aws-sandbox';

const TARGET_MS = 1000;
const ACCOUNT = '333333333333';

/** 20 resources: 4 × (managed policy, role, inline policy), 3 buckets + a policy, 2 keys, an alias, a secret. */
function template(run) {
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  };
  const resources = {};
  for (let i = 0; i < 4; i++) {
    resources[`Managed${i}`] = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: { PolicyDocument: document },
    };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        ManagedPolicyArns: [{ Ref: `Managed${i}` }],
      },
    };
    resources[`Inline${i}`] = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: `inline-${i}`,
        PolicyDocument: document,
        Roles: [{ Ref: `Role${i}` }],
      },
    };
  }
  resources.Key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
  resources.OtherKey = { Type: 'AWS::KMS::Key' };
  resources.Alias = {
    Type: 'AWS::KMS::Alias',
    Properties: { AliasName: `alias/bench-${run}`, TargetKeyId: { Ref: 'Key' } },
  };
  for (let i = 0; i < 3; i++) {
    resources[`Bucket${i}`] = {
      Type: 'AWS::S3::Bucket',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] },
              },
            },
          ],
        },
      },
    };
  }
  resources.BucketPolicy = {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: 'Bucket0' },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::GetAtt': ['Role0', 'Arn'] } },
            Action: 's3:GetObject',
            Resource: { 'Fn::Sub': '${Bucket0.Arn}/*' },
          },
        ],
      },
    },
  };
  resources.Secret = {
    Type: 'AWS::SecretsManager::Secret',
    Properties: { KmsKeyId: { Ref: 'OtherKey' }, GenerateSecretString: { PasswordLength: 32 } },
  };
  return JSON.stringify({ Resources: resources });
}

async function createOnce(cfn, run) {
  const StackName = `bench-${run}`;
  const t0 = performance.now();
  await cfn.send(
    new CreateStackCommand({
      StackName,
      TemplateBody: template(run),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  // Poll as real clients do; the sandbox finishes due work before it answers, so no sleep is needed.
  for (;;) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName }));
    const status = Stacks?.[0]?.StackStatus ?? '';
    if (status === 'CREATE_COMPLETE') return performance.now() - t0;
    if (!status.endsWith('_IN_PROGRESS')) {
      throw new Error(`${StackName} ended in ${status}: ${Stacks?.[0]?.StackStatusReason ?? ''}`);
    }
  }
}

export async function run({ runs = 11 } = {}) {
  const sandbox = await startSandbox();
  try {
    const cfn = new CloudFormationClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentialsFor(ACCOUNT),
      maxAttempts: 1,
    });
    await createOnce(cfn, 'warmup');
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await createOnce(cfn, String(i)));
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `CreateStack → CREATE_COMPLETE, 20 resources (IAM, S3, KMS, Secrets Manager), delays 0, ${runs} runs in process:`,
    );
    console.log(
      `  median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (target < ${TARGET_MS} ms)`,
    );
    return { median };
  } finally {
    await sandbox.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
