import { describe, expect, it } from 'vitest';
import { isRampartError } from '../errors/index.js';
import { STEP_TYPE_IDS } from './step-type-ids.js';
import {
  KMS_KEY_PLACEHOLDER,
  STATE_BUCKET_PLACEHOLDER,
  type IamContext,
  type IamStatement,
} from './iam-statement.js';
import { stepIamStatements } from './step-iam.js';
import { CUSTOM_STEP } from './custom-step.js';

const ctx: IamContext = {
  partition: 'aws',
  accountId: '222222222222',
  region: 'eu-west-1',
  pipelineSlug: 'shop',
  stageName: 'prod',
  stateBucket: '111111111111-acme-terraform-state',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

const gov: IamContext = { ...ctx, partition: 'aws-us-gov', region: 'us-gov-west-1' };

function bySid(statements: IamStatement[]): Record<string, IamStatement> {
  return Object.fromEntries(statements.map((s) => [s.Sid, s]));
}

describe('IAM statements of every step type', () => {
  const minimal: Record<string, unknown> = {
    'RAMPART:TERRAFORM:SYNTHESIZE': { source: 'infra' },
    'RAMPART:ECS:DEPLOY': { cluster_name: 'c', service_name: 's', image_url: 'i' },
    'RAMPART:ECS:RUN_TASK': { cluster_name: 'c', task_definition: 't' },
    'RAMPART:LAMBDA:DEPLOY': { function_name: 'f', s3_bucket: 'b', s3_key: 'k' },
    'RAMPART:LAMBDA:INVOKE': { function_name: 'f' },
    'RAMPART:CLOUDFORMATION:DEPLOY': { template: 't.yaml', stack_name: 's' },
    'RAMPART:S3:UPLOAD': { source: 'dist', bucket: 'site' },
    'RAMPART:CLOUDFRONT:INVALIDATE': { distribution_id: 'E2QWRUHAPOMQZL' },
    'RAMPART:APPROVAL:BAKE': { duration_minutes: 10 },
    'RAMPART:APPROVAL:MANUAL': {},
    'RAMPART:APPROVAL:TEST': { command: 'npm test' },
    'RAMPART:SCRIPT:RUN': { command: 'make' },
  };

  it.each(STEP_TYPE_IDS)('%s: Sids are alphanumeric and unique, statements well formed', (id) => {
    const statements = stepIamStatements(id, minimal[id], ctx);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    for (const s of statements) {
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(s.Effect).toBe('Allow');
      expect(s.Action.length).toBeGreaterThan(0);
      for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect([...s.Action].sort()).toEqual(s.Action);
    }
  });

  it('asks nothing for approvals and scripts, or for custom steps', () => {
    for (const id of [
      'RAMPART:APPROVAL:BAKE',
      'RAMPART:APPROVAL:MANUAL',
      'RAMPART:APPROVAL:TEST',
      'RAMPART:SCRIPT:RUN',
    ] as const) {
      expect(stepIamStatements(id, minimal[id], ctx)).toEqual([]);
    }
    expect(CUSTOM_STEP.iam()).toEqual([]);
  });

  it('throws STEP_PARAMS_INVALID for params that do not match', () => {
    try {
      stepIamStatements('RAMPART:ECS:DEPLOY', { cluster_name: 'c' }, ctx);
      expect.unreachable();
    } catch (e) {
      expect(isRampartError(e) && e.code).toBe('STEP_PARAMS_INVALID');
      expect((e as Error).message).toMatch(
        /^RAMPART:ECS:DEPLOY: params\.(service_name|image_url): /,
      );
    }
  });
});

describe('TERRAFORM:SYNTHESIZE', () => {
  it('grants the stage state prefix and the org key only', () => {
    expect(stepIamStatements('RAMPART:TERRAFORM:SYNTHESIZE', { source: 'infra' }, ctx)).toEqual([
      {
        Sid: 'TerraformStateList',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: 'arn:aws:s3:::111111111111-acme-terraform-state',
        Condition: { StringLike: { 's3:prefix': 'shop/prod/*' } },
      },
      {
        Sid: 'TerraformStateObjects',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::111111111111-acme-terraform-state/shop/prod/*',
      },
      {
        Sid: 'TerraformStateKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: ctx.kmsKeyArn,
      },
    ]);
  });

  it('shows placeholders when the org resources are not known', () => {
    const { stateBucket: _b, kmsKeyArn: _k, ...offline } = ctx;
    const s = bySid(
      stepIamStatements('RAMPART:TERRAFORM:SYNTHESIZE', { source: 'infra' }, offline),
    );
    expect(s.TerraformStateObjects?.Resource).toBe(
      `arn:aws:s3:::${STATE_BUCKET_PLACEHOLDER}/shop/prod/*`,
    );
    expect(s.TerraformStateKey?.Resource).toBe(KMS_KEY_PLACEHOLDER);
  });
});

describe('ECS:DEPLOY', () => {
  const params = {
    cluster_name: 'main',
    service_name: 'api',
    image_url: '${{ stage.artifacts.api.image_url }}',
  };

  it('scopes to the service and passes roles only to ECS tasks', () => {
    const s = bySid(stepIamStatements('RAMPART:ECS:DEPLOY', params, ctx));
    expect(s.EcsDeployService).toMatchObject({
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: 'arn:aws:ecs:eu-west-1:222222222222:service/main/api',
    });
    expect(s.EcsDeployRegister?.Resource).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:task-definition/*',
    );
    expect(s.EcsDeployDescribe).toMatchObject({
      Action: ['ecs:DescribeTaskDefinition'],
      Resource: '*',
    });
    expect(s.EcsDeployPassRole).toEqual({
      Sid: 'EcsDeployPassRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: 'arn:aws:iam::222222222222:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  });

  it('reads names out of ARNs and narrows registration to the reference family', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:ECS:DEPLOY',
        {
          ...params,
          cluster_name: 'arn:aws:ecs:eu-west-1:222222222222:cluster/main',
          service_name: 'arn:aws:ecs:eu-west-1:222222222222:service/main/api',
          reference_task_definition: 'arn:aws:ecs:eu-west-1:222222222222:task-definition/api:12',
        },
        ctx,
      ),
    );
    expect(s.EcsDeployService?.Resource).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:service/main/api',
    );
    expect(s.EcsDeployRegister?.Resource).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:task-definition/api:*',
    );
  });

  it('uses the narrowest wildcard for names known only later', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:ECS:DEPLOY',
        {
          ...params,
          cluster_name: '[OUTPUT:infra/cluster]',
          service_name: 'api-${{ stage.name }}',
        },
        ctx,
      ),
    );
    expect(s.EcsDeployService?.Resource).toBe('arn:aws:ecs:eu-west-1:222222222222:service/*/api-*');
  });

  it('builds GovCloud ARNs', () => {
    const s = bySid(stepIamStatements('RAMPART:ECS:DEPLOY', params, gov));
    expect(s.EcsDeployService?.Resource).toBe(
      'arn:aws-us-gov:ecs:us-gov-west-1:222222222222:service/main/api',
    );
    expect(s.EcsDeployPassRole?.Resource).toBe('arn:aws-us-gov:iam::222222222222:role/*');
  });
});

describe('ECS:RUN_TASK', () => {
  it('pins the task definition revision and the cluster', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:ECS:RUN_TASK',
        { cluster_name: 'main', task_definition: 'migrate:7' },
        ctx,
      ),
    );
    expect(s.EcsRunTask).toEqual({
      Sid: 'EcsRunTask',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: 'arn:aws:ecs:eu-west-1:222222222222:task-definition/migrate:7',
      Condition: {
        ArnEquals: { 'ecs:cluster': 'arn:aws:ecs:eu-west-1:222222222222:cluster/main' },
      },
    });
    expect(s.EcsRunTaskWatch).toMatchObject({
      Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
      Resource: 'arn:aws:ecs:eu-west-1:222222222222:task/main/*',
    });
    expect(s.EcsRunTaskPassRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    expect(s.EcsRunTaskLogs).toMatchObject({
      Action: ['logs:GetLogEvents'],
      Resource: 'arn:aws:logs:eu-west-1:222222222222:log-group:*:log-stream:*',
    });
  });

  it('allows every revision of a family, and ArnLike for a cluster known later', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:ECS:RUN_TASK',
        { cluster_name: '${{ vars.cluster }}', task_definition: 'migrate' },
        ctx,
      ),
    );
    expect(s.EcsRunTask?.Resource).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:task-definition/migrate:*',
    );
    expect(s.EcsRunTask?.Condition).toEqual({
      ArnLike: { 'ecs:cluster': 'arn:aws:ecs:eu-west-1:222222222222:cluster/*' },
    });
    expect(s.EcsRunTaskWatch?.Resource).toBe('arn:aws:ecs:eu-west-1:222222222222:task/*/*');
  });
});

describe('LAMBDA:DEPLOY', () => {
  it('grants code updates on the function and reading the literal zip', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        { function_name: 'orders', s3_bucket: 'code-bucket', s3_key: 'orders/v1.zip' },
        ctx,
      ),
    );
    expect(s.LambdaDeployFunction).toMatchObject({
      Action: [
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
      ],
      Resource: [
        'arn:aws:lambda:eu-west-1:222222222222:function:orders',
        'arn:aws:lambda:eu-west-1:222222222222:function:orders:*',
      ],
    });
    expect(s.LambdaDeployCode).toEqual({
      Sid: 'LambdaDeployCode',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::code-bucket/orders/v1.zip',
    });
  });

  it('adds version and alias actions when an alias is set', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        { function_name: 'orders', s3_bucket: 'b', s3_key: 'k', alias: 'live' },
        ctx,
      ),
    );
    expect(s.LambdaDeployFunction?.Action).toEqual([
      'lambda:CreateAlias',
      'lambda:GetAlias',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
      'lambda:UpdateFunctionCode',
    ]);
  });

  it('keeps a zip known only later to the stage account', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        {
          function_name: 'orders',
          s3_bucket: '[OUTPUT:b/bucket]',
          s3_key: 'orders/${{ trigger.sha }}.zip',
        },
        ctx,
      ),
    );
    expect(s.LambdaDeployCode).toMatchObject({
      Resource: 'arn:aws:s3:::*/orders/*.zip',
      Condition: { StringEquals: { 's3:ResourceAccount': '222222222222' } },
    });
  });

  it('grants pulling the image from its ECR repository', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        {
          function_name: 'orders',
          image_url: '222222222222.dkr.ecr.eu-west-1.amazonaws.com/shop-prod-orders:abc123',
        },
        ctx,
      ),
    );
    expect(s.LambdaDeployImage).toMatchObject({
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/shop-prod-orders',
    });
    expect(s.LambdaDeployCode).toBeUndefined();
    const deferred = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        { function_name: 'orders', image_url: '${{ steps.b.image }}' },
        ctx,
      ),
    );
    expect(deferred.LambdaDeployImage?.Resource).toBe(
      'arn:aws:ecr:eu-west-1:222222222222:repository/*',
    );
  });

  it('uses the account and region of a function given as an ARN', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        { function_name: 'arn:aws:lambda:us-east-1:333333333333:function:edge', image_url: 'x' },
        ctx,
      ),
    );
    expect(s.LambdaDeployFunction?.Resource).toEqual([
      'arn:aws:lambda:us-east-1:333333333333:function:edge',
      'arn:aws:lambda:us-east-1:333333333333:function:edge:*',
    ]);
  });

  it('does not repeat a wildcard function ARN', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:LAMBDA:DEPLOY',
        { function_name: '${{ vars.fn }}', image_url: 'x' },
        ctx,
      ),
    );
    expect(s.LambdaDeployFunction?.Resource).toEqual([
      'arn:aws:lambda:eu-west-1:222222222222:function:*',
    ]);
  });
});

describe('LAMBDA:INVOKE', () => {
  const resourceFor = (params: Record<string, unknown>) =>
    stepIamStatements('RAMPART:LAMBDA:INVOKE', params, ctx)[0]?.Resource;

  it('grants the unqualified ARN for an unqualified call, the qualified one otherwise', () => {
    expect(resourceFor({ function_name: 'orders' })).toBe(
      'arn:aws:lambda:eu-west-1:222222222222:function:orders',
    );
    expect(resourceFor({ function_name: 'orders', qualifier: 'live' })).toBe(
      'arn:aws:lambda:eu-west-1:222222222222:function:orders:live',
    );
    expect(resourceFor({ function_name: 'orders:live' })).toBe(
      'arn:aws:lambda:eu-west-1:222222222222:function:orders:live',
    );
    expect(resourceFor({ function_name: 'orders', qualifier: '${{ vars.q }}' })).toBe(
      'arn:aws:lambda:eu-west-1:222222222222:function:orders:*',
    );
  });

  it('reads partial and full ARNs, including other accounts', () => {
    expect(resourceFor({ function_name: '333333333333:function:audit' })).toBe(
      'arn:aws:lambda:eu-west-1:333333333333:function:audit',
    );
    expect(
      resourceFor({ function_name: 'arn:aws:lambda:us-east-1:333333333333:function:audit:3' }),
    ).toBe('arn:aws:lambda:us-east-1:333333333333:function:audit:3');
  });

  it('builds China ARNs', () => {
    const cn: IamContext = { ...ctx, partition: 'aws-cn', region: 'cn-north-1' };
    expect(
      stepIamStatements('RAMPART:LAMBDA:INVOKE', { function_name: 'f' }, cn)[0]?.Resource,
    ).toBe('arn:aws-cn:lambda:cn-north-1:222222222222:function:f');
  });
});

describe('CLOUDFORMATION:DEPLOY', () => {
  it('grants change-set actions on the stack only', () => {
    const s = stepIamStatements(
      'RAMPART:CLOUDFORMATION:DEPLOY',
      { template: 't.yaml', stack_name: 'app-prod' },
      ctx,
    );
    expect(s).toEqual([
      {
        Sid: 'CfnDeployStack',
        Effect: 'Allow',
        Action: [
          'cloudformation:CreateChangeSet',
          'cloudformation:DeleteChangeSet',
          'cloudformation:DescribeChangeSet',
          'cloudformation:DescribeStackEvents',
          'cloudformation:DescribeStacks',
          'cloudformation:ExecuteChangeSet',
          'cloudformation:GetTemplate',
        ],
        Resource: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/app-prod/*',
      },
    ]);
  });

  it('adds tagging with tags and transforms with CAPABILITY_AUTO_EXPAND', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:CLOUDFORMATION:DEPLOY',
        {
          template: 't.yaml',
          stack_name: 'app-${{ stage.name }}',
          tags: { team: 'x' },
          capabilities: ['CAPABILITY_AUTO_EXPAND'],
        },
        ctx,
      ),
    );
    expect(s.CfnDeployStack?.Action).toContain('cloudformation:TagResource');
    expect(s.CfnDeployStack?.Resource).toBe(
      'arn:aws:cloudformation:eu-west-1:222222222222:stack/app-*/*',
    );
    expect(s.CfnDeployTransforms).toMatchObject({
      Action: ['cloudformation:CreateChangeSet'],
      Resource: 'arn:aws:cloudformation:eu-west-1:aws:transform/*',
    });
  });

  it('reads the name out of a stack ARN', () => {
    const s = stepIamStatements(
      'RAMPART:CLOUDFORMATION:DEPLOY',
      { template: 't', stack_name: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/app/0a1b' },
      ctx,
    );
    expect(s[0]?.Resource).toBe('arn:aws:cloudformation:eu-west-1:222222222222:stack/app/*');
  });
});

describe('S3:UPLOAD', () => {
  it('grants listing and writing under the prefix, deleting only when asked', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:S3:UPLOAD',
        { source: 'dist', bucket: 'my-site', prefix: '/app/' },
        ctx,
      ),
    );
    expect(s.S3UploadList).toEqual({
      Sid: 'S3UploadList',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: 'arn:aws:s3:::my-site',
      Condition: { StringLike: { 's3:prefix': 'app/*' } },
    });
    expect(s.S3UploadObjects).toEqual({
      Sid: 'S3UploadObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: 'arn:aws:s3:::my-site/app/*',
    });
    expect(s.S3UploadSource).toBeUndefined();
    const withDelete = bySid(
      stepIamStatements(
        'RAMPART:S3:UPLOAD',
        { source: 'dist', bucket: 'my-site', delete_removed: true },
        ctx,
      ),
    );
    expect(withDelete.S3UploadObjects?.Action).toEqual(['s3:DeleteObject', 's3:PutObject']);
    expect(withDelete.S3UploadList?.Condition).toBeUndefined();
  });

  it('reads a bundle source and keeps a bucket known later to the stage account', () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:S3:UPLOAD',
        {
          source: 's3://222222222222-shop-prod-web/builds/abc.zip',
          bucket: '${{ steps.infra.bucket }}',
        },
        ctx,
      ),
    );
    expect(s.S3UploadSource?.Resource).toBe(
      'arn:aws:s3:::222222222222-shop-prod-web/builds/abc.zip',
    );
    expect(s.S3UploadObjects).toMatchObject({
      Resource: 'arn:aws:s3:::*/*',
      Condition: { StringEquals: { 's3:ResourceAccount': '222222222222' } },
    });
    expect(s.S3UploadList?.Condition).toEqual({
      StringEquals: { 's3:ResourceAccount': '222222222222' },
    });
  });

  it("limits a source known later to the stage's bundle buckets", () => {
    const s = bySid(
      stepIamStatements(
        'RAMPART:S3:UPLOAD',
        { source: '${{ stage.artifacts.web.s3_url }}', bucket: 'site' },
        ctx,
      ),
    );
    expect(s.S3UploadSource?.Resource).toBe('arn:aws:s3:::222222222222-shop-prod-*/*');
  });
});

describe('CLOUDFRONT:INVALIDATE', () => {
  it('scopes to the distribution, without a region', () => {
    expect(
      stepIamStatements(
        'RAMPART:CLOUDFRONT:INVALIDATE',
        { distribution_id: 'E2QWRUHAPOMQZL' },
        ctx,
      ),
    ).toEqual([
      {
        Sid: 'CloudFrontInvalidate',
        Effect: 'Allow',
        Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        Resource: 'arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL',
      },
    ]);
    expect(
      stepIamStatements(
        'RAMPART:CLOUDFRONT:INVALIDATE',
        { distribution_id: '[OUTPUT:cdn/id]' },
        ctx,
      )[0]?.Resource,
    ).toBe('arn:aws:cloudfront::222222222222:distribution/*');
  });
});
