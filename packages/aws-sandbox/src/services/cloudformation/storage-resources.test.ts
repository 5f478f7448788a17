import {
  CreateStackCommand,
  DeleteStackCommand,
  UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import { cfnClients, describeStack, stackEvents } from './test-support/cfn-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

interface Version {
  bucketName?: string;
  versioning?: 'Enabled' | 'Suspended';
  secretValue?: string;
  aliasTarget?: 'Key' | 'OtherKey';
  rotation?: boolean;
}

function storageTemplate(v: Version = {}): string {
  const versioning =
    v.versioning === undefined ? '' : `\n      VersioningConfiguration: {Status: ${v.versioning}}`;
  return `
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: state key
      EnableKeyRotation: ${String(v.rotation ?? true)}
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Admin
            Effect: Allow
            Principal: {AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'}
            Action: 'kms:*'
            Resource: '*'
      Tags: [{Key: purpose, Value: state}]
  OtherKey:
    Type: AWS::KMS::Key
  Alias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/state
      TargetKeyId: !Ref ${v.aliasTarget ?? 'Key'}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${v.bucketName ?? 'state-bucket'}${versioning}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms', KMSMasterKeyID: !GetAtt Key.Arn}
            BucketKeyEnabled: true
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      LifecycleConfiguration:
        Rules: [{Id: expire, Status: Enabled, ExpirationInDays: 30, Prefix: tmp/}]
      Tags: [{Key: purpose, Value: state}]
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: [!GetAtt Bucket.Arn, !Sub '\${Bucket.Arn}/*']
            Condition: {Bool: {'aws:SecureTransport': 'false'}, StringNotEquals: {'aws:PrincipalAccount': !Ref AWS::AccountId}}
  Given:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: given
      SecretString: ${v.secretValue ?? 'first'}
      KmsKeyId: !Ref Key
  Generated:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: generated
      GenerateSecretString:
        SecretStringTemplate: '{"username": "admin"}'
        GenerateStringKey: password
        PasswordLength: 24
        ExcludeCharacters: '"@/\\'
Outputs:
  BucketArn: {Value: !GetAtt Bucket.Arn}
  Domain: {Value: !GetAtt Bucket.RegionalDomainName}
  KeyArn: {Value: !GetAtt Key.Arn}
  KeyId: {Value: !Ref Key}
  GivenArn: {Value: !Ref Given}
  GeneratedArn: {Value: !Ref Generated}
`;
}

describe('S3, KMS and Secrets Manager resource types', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let cfn: CloudFormationClient;
  let s3: S3Client;
  let kms: KMSClient;
  let secrets: SecretsManagerClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    ({ cfn, s3, kms, secrets } = cfnClients(sandbox, sandbox.credentialsFor(DEV), clock));
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const outputs = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await describeStack(cfn, 'storage')).Outputs ?? []).map((o) => [
        o.OutputKey ?? '',
        o.OutputValue ?? '',
      ]),
    );

  it('creates the real resources with their configuration', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'storage',
        TemplateBody: storageTemplate({ versioning: 'Enabled' }),
        Tags: [{ Key: 'owner', Value: 'rampart' }],
      }),
    );
    const stack = await describeStack(cfn, 'storage');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const out = await outputs();
    expect(out['BucketArn']).toBe('arn:aws:s3:::state-bucket');
    expect(out['Domain']).toBe('state-bucket.s3.us-east-1.amazonaws.com');
    expect(out['KeyArn']).toBe(`arn:aws:kms:us-east-1:${DEV}:key/${out['KeyId'] ?? ''}`);

    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'state-bucket' }))).Status).toBe(
      'Enabled',
    );
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'state-bucket' }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]).toMatchObject({
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: out['KeyArn'],
      },
      BucketKeyEnabled: true,
    });
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'state-bucket' }));
    expect(block.PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(true);
    const lifecycle = await s3.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: 'state-bucket' }),
    );
    expect(lifecycle.Rules?.[0]).toMatchObject({
      ID: 'expire',
      Status: 'Enabled',
      Expiration: { Days: 30 },
    });
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: 'state-bucket' }));
    expect(tags.TagSet).toEqual([
      { Key: 'owner', Value: 'rampart' },
      { Key: 'purpose', Value: 'state' },
    ]);
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: 'state-bucket' }));
    expect(JSON.parse(policy.Policy ?? '{}')).toMatchObject({
      Statement: [
        { Effect: 'Deny', Resource: ['arn:aws:s3:::state-bucket', 'arn:aws:s3:::state-bucket/*'] },
      ],
    });

    const key = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/state' }));
    expect(key.KeyMetadata).toMatchObject({
      KeyId: out['KeyId'],
      Description: 'state key',
      KeyState: 'Enabled',
    });
    expect(
      (await kms.send(new GetKeyRotationStatusCommand({ KeyId: out['KeyId'] }))).KeyRotationEnabled,
    ).toBe(true);
    const keyPolicy = await kms.send(
      new GetKeyPolicyCommand({ KeyId: out['KeyId'], PolicyName: 'default' }),
    );
    expect(keyPolicy.Policy).toContain('"Sid":"Admin"');

    const given = await secrets.send(new GetSecretValueCommand({ SecretId: 'given' }));
    expect(given.SecretString).toBe('first');
    expect(given.ARN).toBe(out['GivenArn']);
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'given' }));
    expect(described.KmsKeyId).toBe(out['KeyId']);
    const generated = await secrets.send(
      new GetSecretValueCommand({ SecretId: out['GeneratedArn'] }),
    );
    const value = JSON.parse(generated.SecretString ?? '{}') as {
      username: string;
      password: string;
    };
    expect(value.username).toBe('admin');
    expect(value.password).toHaveLength(24);
    expect(value.password).not.toMatch(/["@/\\]/);
    const generatedName = (
      await secrets.send(new DescribeSecretCommand({ SecretId: out['GeneratedArn'] }))
    ).Name;
    expect(generatedName).toMatch(/^storage-Generated-[A-Z0-9]{12}$/);
  });

  it('updates in place, replaces a renamed bucket and deletes everything with the stack', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'storage',
        TemplateBody: storageTemplate({ versioning: 'Enabled' }),
      }),
    );
    const before = await outputs();
    const firstGenerated = (
      await secrets.send(new GetSecretValueCommand({ SecretId: before['GeneratedArn'] }))
    ).SecretString;
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'storage',
        TemplateBody: storageTemplate({
          bucketName: 'state-bucket-2',
          versioning: 'Suspended',
          secretValue: 'second',
          aliasTarget: 'OtherKey',
          rotation: false,
        }),
      }),
    );
    expect((await describeStack(cfn, 'storage')).StackStatus).toBe('UPDATE_COMPLETE');
    const after = await outputs();
    expect(after['BucketArn']).toBe('arn:aws:s3:::state-bucket-2');
    expect(after['KeyId']).toBe(before['KeyId']);
    expect(
      (await s3.send(new GetBucketVersioningCommand({ Bucket: 'state-bucket-2' }))).Status,
    ).toBe('Suspended');
    expect(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: 'state-bucket-2' }))).Policy,
    ).toContain('state-bucket-2');
    expect(
      await rejection(s3.send(new HeadBucketCommand({ Bucket: 'state-bucket' }))),
    ).toMatchObject({
      name: 'NotFound',
    });
    expect(
      (await secrets.send(new GetSecretValueCommand({ SecretId: 'given' }))).SecretString,
    ).toBe('second');
    // An unchanged GenerateSecretString is not generated again.
    expect(
      (await secrets.send(new GetSecretValueCommand({ SecretId: after['GeneratedArn'] })))
        .SecretString,
    ).toBe(firstGenerated);
    expect(
      (await kms.send(new GetKeyRotationStatusCommand({ KeyId: after['KeyId'] })))
        .KeyRotationEnabled,
    ).toBe(false);
    const aliases = await kms.send(new ListAliasesCommand({}));
    const alias = aliases.Aliases?.find((a) => a.AliasName === 'alias/state');
    expect(alias?.TargetKeyId).not.toBe(before['KeyId']);

    const stackId = (await describeStack(cfn, 'storage')).StackId ?? '';
    await cfn.send(new DeleteStackCommand({ StackName: 'storage' }));
    expect((await describeStack(cfn, stackId)).StackStatus).toBe('DELETE_COMPLETE');
    expect(
      await rejection(s3.send(new HeadBucketCommand({ Bucket: 'state-bucket-2' }))),
    ).toMatchObject({
      name: 'NotFound',
    });
    const key = await kms.send(new DescribeKeyCommand({ KeyId: after['KeyId'] }));
    expect(key.KeyMetadata?.KeyState).toBe('PendingDeletion');
    expect(
      await rejection(secrets.send(new DescribeSecretCommand({ SecretId: 'given' }))),
    ).toBeInstanceOf(ResourceNotFoundException);
  });

  it('fails the deletion of a bucket that still holds objects, as AWS does', async () => {
    await cfn.send(
      new CreateStackCommand({ StackName: 'storage', TemplateBody: storageTemplate() }),
    );
    // Resources exist once the stack is complete, which a caller learns by polling.
    expect((await describeStack(cfn, 'storage')).StackStatus).toBe('CREATE_COMPLETE');
    await s3.send(
      new PutObjectCommand({ Bucket: 'state-bucket', Key: 'terraform.tfstate', Body: '{}' }),
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'storage' }));
    const stack = await describeStack(cfn, 'storage');
    expect(stack.StackStatus).toBe('DELETE_FAILED');
    expect(stack.StackStatusReason).toBe('The following resource(s) failed to delete: [Bucket]. ');
    const failed = (await stackEvents(cfn, 'storage')).find(
      (e) => e.ResourceStatus === 'DELETE_FAILED',
    );
    expect(failed?.ResourceStatusReason).toContain('The bucket you tried to delete is not empty');
    expect(failed?.ResourceStatusReason).toContain('Service: S3, Status Code: 409');
  });
});
