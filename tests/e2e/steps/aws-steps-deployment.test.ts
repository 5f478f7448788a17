/**
 * Issue 8's end-to-end proof: one pipeline deploys with every AWS step type (CloudFormation, an
 * ECS one-off task, Lambda deploy and invoke, S3 upload, CloudFront invalidation) through the API,
 * with the stage role that bootstrap created from the pipeline (IAM enforced by the sandbox, STS
 * credentials for Rampart's own OIDC tokens). A second revision's alarm during the bake rolls the
 * stage back: the Lambda alias, the stack and the bucket hold revision 1's state again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetAliasCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AwsClientFactory } from '@rampart/aws';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { ControlPlaneConfig } from '@rampart/core';
import type { DeploymentDetail, LogListResponse, RollbackListResponse } from '@rampart/protocol';
import { startServer, type RunningServer } from '@rampart/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGitRepo } from '../../../packages/server/src/test-support/git-repo.js';
import { zipFile } from '../../../packages/steps/src/test-support/zip-file.js';
import { bootstrapInSandbox } from '../support/bootstrap-in-sandbox.js';

const MANAGEMENT = '111111111111';
const CICD = '222222222222';
const STAGING = '444444444444';
const REGION = 'us-east-1';
const CODE = `code-${STAGING}`;
const SITE = `site-${STAGING}`;

const pipeline = (distribution: string) => `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "${STAGING}"
      region: ${REGION}
      auto_rollback_alarm_name: api-errors
  steps:
    - name: Infra
      id: infra
      type: RAMPART:CLOUDFORMATION:DEPLOY
      params:
        template: infra/stack.yaml
        stack_name: web-infra
        parameters:
          Revision: \${{ trigger.revision }}
    - name: Migrate
      type: RAMPART:ECS:RUN_TASK
      params:
        cluster_name: jobs
        task_definition: migrate
        launch_type: EC2
        environment:
          SANDBOX_LOG_LINES: "migrating to revision \${{ trigger.revision }}"
    - name: Api
      type: RAMPART:LAMBDA:DEPLOY
      params:
        function_name: api
        s3_bucket: ${CODE}
        s3_key: api-\${{ trigger.revision }}.zip
        alias: live
    - name: Smoke
      type: RAMPART:LAMBDA:INVOKE
      params:
        function_name: api
        qualifier: live
        payload:
          stack: \${{ steps.infra.Greeting }}
    - name: Site
      type: RAMPART:S3:UPLOAD
      params:
        source: site
        bucket: ${SITE}
        delete_removed: true
        cache_control: max-age=60
    - name: Cdn
      type: RAMPART:CLOUDFRONT:INVALIDATE
      params:
        distribution_id: ${distribution}
    - name: Bake
      type: RAMPART:APPROVAL:BAKE
      params:
        duration_minutes: 60
`;

const STACK_V1 = `Parameters:
  Revision: { Type: String }
Resources:
  Handle: { Type: AWS::CloudFormation::WaitConditionHandle }
Outputs:
  Greeting: { Value: !Sub "hello from revision \${Revision}" }
`;
const STACK_V2 = `${STACK_V1}  Extra: { Value: !Ref Extra }
`.replace(
  'Resources:\n',
  'Resources:\n  Extra: { Type: AWS::CloudFormation::WaitConditionHandle }\n',
);

const handler = (version: string) =>
  zipFile({
    'index.mjs': `export const handler = async (event) => ({ version: "${version}", got: event });\n`,
  });

describe('a deployment with every AWS step type, and an alarm that rolls it back', () => {
  let dir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let repo: TestGitRepo;
  let token: string;
  let sdk: AwsClientFactory;
  let distribution: string;

  const admin = () => sandbox.credentialsFor(STAGING);
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const deployment = async (revision: number) =>
    (
      await call<{ deployment: DeploymentDetail }>(
        'GET',
        `/api/v1/pipelines/web/deployments/${revision}`,
      )
    ).body.deployment;
  /** Lets the runtime work until `done` holds (bounded: the steps finish in seconds). */
  const until = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      await server.runtime.whenIdle();
      if (await done()) return;
      await delay(100);
    }
    throw new Error(`gave up waiting until ${what}`);
  };
  const baking = (revision: number) => async () => {
    const d = await deployment(revision);
    const steps = d.stages[0]?.steps ?? [];
    const failed = steps.find((s) => s.status === 'failed');
    if (failed !== undefined) {
      throw new Error(`step ${failed.name} failed: ${failed.error?.message ?? '?'}`);
    }
    return steps.find((s) => s.name === 'Bake')?.status === 'running';
  };
  const aliasVersion = async () =>
    (
      await sdk
        .lambda({ region: REGION, credentials: admin() })
        .send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }))
    ).FunctionVersion;
  const invokeLive = async () => {
    const out = await sdk
      .lambda({ region: REGION, credentials: admin() })
      .send(new InvokeCommand({ FunctionName: 'api', Qualifier: 'live' }));
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as unknown;
  };
  const siteFiles = async () => {
    const s3 = sdk.s3({ region: REGION, credentials: admin() });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: SITE }));
    const files: Record<string, string> = {};
    for (const o of listed.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: SITE, Key: o.Key }));
      files[o.Key ?? ''] = (await got.Body?.transformToString()) ?? '';
    }
    return files;
  };
  const stack = async () => {
    const cfn = sdk.cloudFormation({ region: REGION, credentials: admin() });
    const described = (await cfn.send(new DescribeStacksCommand({ StackName: 'web-infra' })))
      .Stacks?.[0];
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'web-infra' }));
    return {
      status: described?.StackStatus,
      parameters: described?.Parameters?.map(
        (p) => `${p.ParameterKey ?? ''}=${p.ParameterValue ?? ''}`,
      ),
      template: template.TemplateBody,
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-steps-'));
    sandbox = await startSandbox({
      // No background ticks: alarms keep the state the test sets.
      tickIntervalMs: 0,
      delays: {
        'lambda.create': 0,
        'lambda.update': 0,
        'cloudfront.invalidation': 0,
        'ecs.task-start': 1,
      },
    });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, maxAttempts: 1 });
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: CICD,
          cicd_account_region: REGION,
        },
        aws: { endpoint_url: sandbox.endpoint },
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 100 },
      engineConfig: { alarmPollIntervalMs: 200 },
      steps: { poller: { intervalMs: 100 } },
    });
    token = server.firstAdminToken?.secret ?? '';

    // The stage account's workload, as the team's own infrastructure code would have made it.
    distribution = sandbox.control.createDistribution({ accountId: STAGING }).id;
    const s3 = sdk.s3({ region: REGION, credentials: admin() });
    for (const bucket of [CODE, SITE]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const version of ['1', '2']) {
      await s3.send(
        new PutObjectCommand({ Bucket: CODE, Key: `api-${version}.zip`, Body: handler(version) }),
      );
    }
    const role = await sdk.iam({ region: REGION, credentials: admin() }).send(
      new CreateRoleCommand({
        RoleName: 'api-exec',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await sdk.lambda({ region: REGION, credentials: admin() }).send(
      new CreateFunctionCommand({
        FunctionName: 'api',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role.Role?.Arn,
        Code: { ZipFile: handler('0') },
      }),
    );
    await sdk
      .cloudWatchLogs({ region: REGION, credentials: admin() })
      .send(new CreateLogGroupCommand({ logGroupName: '/jobs/migrate' }));
    const ecs = sdk.ecs({ region: REGION, credentials: admin() });
    await ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [
          {
            name: 'migrate',
            image: 'registry.example/migrate:1',
            memory: 256,
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/jobs/migrate', 'awslogs-stream-prefix': 'job' },
            },
          },
        ],
      }),
    );
    await sdk.cloudWatch({ region: REGION, credentials: admin() }).send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'api' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );

    // Revision 1's files, then bootstrap from the pipeline: the stage role's policies are the
    // ones core's catalog generates for these steps, nothing added.
    repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit(
      {
        '.rampart/web/pipeline.yaml': pipeline(distribution),
        'infra/stack.yaml': STACK_V1,
        'site/index.html': '<h1>revision 1</h1>',
        'site/old.txt': 'only in revision 1',
      },
      'revision 1',
    );
    const config: ControlPlaneConfig = {
      organization: {
        name: 'Acme',
        slug: 'acme',
        cicd_account_id: CICD,
        cicd_account_region: REGION,
      },
      issuer_url: server.issuer.issuerUrl,
      aws: { endpoint_url: sandbox.endpoint },
    };
    await bootstrapInSandbox({
      sandbox,
      repoDir: repo.dir,
      config,
      managementAccountId: MANAGEMENT,
    });
    const registered = await call('POST', '/api/v1/pipelines', {
      slug: 'web',
      source: { kind: 'git', location: repo.dir },
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await server.stop();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys revision 1 with every step type', async () => {
    const started = await call('POST', '/api/v1/pipelines/web/deployments', {
      reason: 'revision 1',
    });
    expect(started.status).toBe(201);
    await until('revision 1 bakes', baking(1));
    const steps = (await deployment(1)).stages[0]?.steps ?? [];
    const outputs = Object.fromEntries(steps.map((s) => [s.name, s.outputs]));
    expect(outputs['Infra']).toMatchObject({
      Greeting: 'hello from revision 1',
      'rampart:template': STACK_V1,
    });
    expect(outputs['Migrate']).toMatchObject({ exit_code: 0 });
    expect(outputs['Api']).toMatchObject({ version: '1', previous_version: '' });
    expect(outputs['Smoke']).toEqual({
      status_code: 200,
      response: { version: '1', got: { stack: 'hello from revision 1' } },
    });
    expect(outputs['Site']).toMatchObject({ uploaded: 2, deleted: 0 });
    expect(outputs['Cdn']).toEqual({ invalidation_id: expect.stringMatching(/^I/) as string });
    const logs = await call<LogListResponse>('GET', '/api/v1/pipelines/web/deployments/1/logs');
    const lines = logs.body.lines.map((l) => l.text);
    expect(lines).toContain('migrating to revision 1');
    expect(lines).toContain('web-infra AWS::CloudFormation::Stack CREATE_COMPLETE');
    const approved = await call('POST', '/api/v1/pipelines/web/operations', {
      kind: 'approve',
      revision: 1,
      stage: 'staging',
      step: 'Bake',
      reason: 'looks good',
    });
    expect(approved.status).toBe(200);
    await until('revision 1 succeeds', async () => (await deployment(1)).status === 'succeeded');
    expect(await aliasVersion()).toBe('1');
    expect(await siteFiles()).toEqual({
      'index.html': '<h1>revision 1</h1>',
      'old.txt': 'only in revision 1',
    });
    const invalidations = await sdk
      .cloudFront({ region: REGION, credentials: admin() })
      .send(new ListInvalidationsCommand({ DistributionId: distribution }));
    expect(invalidations.InvalidationList?.Quantity).toBe(1);
  });

  it('rolls revision 2 back when the alarm fires during its bake', async () => {
    repo.git('rm', '--quiet', 'site/old.txt');
    repo.commit(
      {
        'infra/stack.yaml': STACK_V2,
        'site/index.html': '<h1>revision 2</h1>',
        'site/new.css': 'h1{}',
      },
      'revision 2',
    );
    const started = await call('POST', '/api/v1/pipelines/web/deployments', {
      reason: 'revision 2',
    });
    expect(started.status).toBe(201);
    await until('revision 2 bakes', baking(2));
    expect(await aliasVersion()).toBe('2');
    expect(await invokeLive()).toMatchObject({ version: '2' });
    expect(await siteFiles()).toEqual({ 'index.html': '<h1>revision 2</h1>', 'new.css': 'h1{}' });
    expect((await stack()).template).toBe(STACK_V2);

    await sdk.cloudWatch({ region: REGION, credentials: admin() }).send(
      new SetAlarmStateCommand({
        AlarmName: 'api-errors',
        StateValue: 'ALARM',
        StateReason: 'errors after revision 2',
      }),
    );
    await until(
      'revision 2 is rolled back',
      async () => (await deployment(2)).status === 'rolled_back',
    );
    const rollbacks = await call<RollbackListResponse>('GET', '/api/v1/pipelines/web/rollbacks');
    const rollback = rollbacks.body.rollbacks[0];
    expect(rollback).toMatchObject({
      kind: 'auto',
      status: 'succeeded',
      fromRevision: 2,
      toRevision: 1,
    });
    // Only the steps that restore something run; the task, the invoke and the invalidation do not.
    expect(rollback?.steps.map((s) => `${s.name} ${s.status}`)).toEqual([
      'Infra succeeded',
      'Api succeeded',
      'Site succeeded',
    ]);

    // Revision 1's state, restored.
    expect(await aliasVersion()).toBe('1');
    expect(await invokeLive()).toMatchObject({ version: '1' });
    expect(await stack()).toEqual({
      status: 'UPDATE_COMPLETE',
      parameters: ['Revision=1'],
      template: STACK_V1,
    });
    // Revision 1 uploads with delete_removed: what revision 2 added goes too.
    expect(await siteFiles()).toEqual({
      'index.html': '<h1>revision 1</h1>',
      'old.txt': 'only in revision 1',
    });
  });
});
