import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { AwsClientFactory } from '@rampart/aws';
import { STEP_TYPES } from '@rampart/core';
import { ManualClock, startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import type { JsonValue } from '@rampart/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ecsDeployParams, type EcsDeployParams } from '../params/ecs-deploy-params.js';
import {
  TEST_TARGET,
  parseParams,
  rollbackContext,
  stepContext,
  type HarnessOptions,
} from '../test-support/step-context.js';
import { abortableSleep } from './abortable-sleep.js';
import { createEcsDeployExecutor } from './ecs-deploy-executor.js';

const STAGING = '444444444444';
const REGION = 'us-east-1';
const TD = (revision: number) => `arn:aws:ecs:${REGION}:${STAGING}:task-definition/web:${revision}`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${STAGING}:service/apps/web`;
const BAD_DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('ECS:DEPLOY against the sandbox', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let sdk: AwsClientFactory;
  /** Polls seen by the executor's poller; each moves the sandbox clock instead of sleeping. */
  let polls = 0;

  const admin = () => sdk.ecs({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
  const service = async (): Promise<Service> => {
    const out = await admin().send(
      new DescribeServicesCommand({ cluster: 'apps', services: ['web'] }),
    );
    const found = out.services?.[0];
    if (found === undefined) throw new Error('no service');
    return found;
  };
  const revisions = async () =>
    (await admin().send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' })))
      .taskDefinitionArns ?? [];
  const advance = async (ms: number) => {
    clock.advance(ms);
    await sandbox.control.tick();
  };

  const executor = () =>
    createEcsDeployExecutor({
      sdk,
      poller: {
        intervalMs: 5000,
        sleep: async (ms) => {
          polls += 1;
          await advance(ms);
        },
      },
    });
  const harness = (): HarnessOptions => ({
    target: { ...TEST_TARGET, accountId: STAGING, region: REGION },
    credentials: () => Promise.resolve(sandbox.credentialsFor(STAGING)),
    now: () => clock.now(),
  });
  const params = (raw: Record<string, unknown>): EcsDeployParams =>
    parseParams(ecsDeployParams, { cluster_name: 'apps', service_name: 'web', ...raw });
  const deploy = async (raw: Record<string, unknown>, options: HarnessOptions = {}) => {
    const h = stepContext(params(raw), { ...harness(), ...options });
    const outcome = await executor().execute(h.ctx);
    return { ...h, outcome };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    sdk = new AwsClientFactory({ endpointUrl: sandbox.endpoint, clock });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    polls = 0;
    const ecs = admin();
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    const v1 = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'nginx:1', memory: 128 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: v1.taskDefinition?.taskDefinitionArn,
        desiredCount: 2,
        launchType: 'EC2',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    await advance(10_000);
    expect((await service()).deployments?.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
  });

  it('registers a revision with the new image, updates the service and waits for the rollout', async () => {
    const { outcome, logs } = await deploy({ image_url: 'nginx:2' });
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: {
        task_definition_arn: TD(2),
        previous_task_definition_arn: TD(1),
        service_arn: SERVICE_ARN,
      },
    });
    const now = await service();
    expect(now.taskDefinition).toBe(TD(2));
    expect(now.deployments?.map((d) => `${d.status ?? ''} ${d.rolloutState ?? ''}`)).toEqual([
      'PRIMARY COMPLETED',
    ]);
    const registered = await admin().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: TD(2) }),
    );
    expect(registered.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:2');
    expect(polls).toBeGreaterThan(0);
    expect(logs.every((l) => l.stream === 'info')).toBe(true);
    expect(logs.map((l) => l.text)).toContain(`registered ${TD(2)} with image nginx:2`);
    expect(logs.at(-1)?.text).toBe(`rollout of ${TD(2)} completed (2 tasks running)`);
  });

  it('registers nothing new when the same attempt runs again, from its journal or after a crash', async () => {
    const journal = new Map<string, JsonValue>();
    const first = await deploy({ image_url: 'nginx:2' }, { journal });
    expect(first.outcome.kind).toBe('succeeded');
    expect(Object.fromEntries(journal)).toEqual({
      previousTaskDefinitionArn: TD(1),
      registeredAfterRevision: 1,
      taskDefinitionArn: TD(2),
    });
    const again = await deploy({ image_url: 'nginx:2' }, { journal });
    expect(again.outcome).toEqual(first.outcome);
    expect(again.logs.map((l) => l.text)).toContain(`resuming with task definition ${TD(2)}`);
    // A crash between RegisterTaskDefinition and the journal write: the revision registered
    // after the recorded one, with the same images, is found.
    journal.delete('taskDefinitionArn');
    const crashed = await deploy({ image_url: 'nginx:2' }, { journal });
    expect(crashed.outcome).toEqual(first.outcome);
    expect(crashed.logs.map((l) => l.text)).toContain(
      `found ${TD(2)}, registered by an earlier run of this step`,
    );
    expect(await revisions()).toEqual([TD(1), TD(2)]);
    // Another attempt has its own journal: it registers its own revision.
    await deploy({ image_url: 'nginx:2' }, { journalKey: 'pl-1:7/0/r2/s0/c1' });
    expect(await revisions()).toEqual([TD(1), TD(2), TD(3)]);
    // A crash before RegisterTaskDefinition: the revisions after the recorded one run other
    // images, so it registers.
    const beforeRegister = new Map<string, JsonValue>([
      ['previousTaskDefinitionArn', TD(3)],
      ['registeredAfterRevision', 1],
    ]);
    const resumed = await deploy({ image_url: 'nginx:3' }, { journal: beforeRegister });
    expect(resumed.outcome.kind === 'succeeded' && resumed.outcome.outputs).toMatchObject({
      task_definition_arn: TD(4),
      previous_task_definition_arn: TD(3),
    });
    expect(await revisions()).toEqual([TD(1), TD(2), TD(3), TD(4)]);
  });

  it('deploys with only the permissions core’s catalog grants a stage role', async () => {
    const statements = STEP_TYPES['RAMPART:ECS:DEPLOY'].iam(params({ image_url: 'nginx:2' }), {
      partition: 'aws',
      accountId: STAGING,
      region: REGION,
      pipelineSlug: 'web',
      stageName: 'staging',
    });
    const iam = sdk.iam({ region: REGION, credentials: sandbox.credentialsFor(STAGING) });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'ecs-deploy-only',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${STAGING}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'ecs-deploy-only',
        PolicyName: 'catalog',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      }),
    );
    const assumed = await sdk
      .sts({ region: REGION, credentials: sandbox.credentialsFor(STAGING) })
      .send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${STAGING}:role/ecs-deploy-only`,
          RoleSessionName: 'deploy',
        }),
      );
    const role = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };
    const journal = new Map<string, JsonValue>();
    const { outcome } = await deploy(
      { image_url: 'nginx:2' },
      { credentials: () => Promise.resolve(role), journal },
    );
    expect(outcome).toMatchObject({ kind: 'succeeded', outputs: { task_definition_arn: TD(2) } });
    // The resume after a crash before the journal write reads revisions the same way.
    journal.delete('taskDefinitionArn');
    const resumed = await deploy(
      { image_url: 'nginx:2' },
      { credentials: () => Promise.resolve(role), journal },
    );
    expect(resumed.outcome).toEqual(outcome);
    expect(await revisions()).toEqual([TD(1), TD(2)]);
  });

  it('rolls the service back to the restored revision’s task definition', async () => {
    const deployed = await deploy({ image_url: 'nginx:2' });
    const failedOutputs =
      deployed.outcome.kind === 'succeeded' ? deployed.outcome.outputs : undefined;
    const rb = rollbackContext<EcsDeployParams>(
      {
        targetParams: params({ image_url: 'nginx:1' }),
        targetOutputs: { task_definition_arn: TD(1), service_arn: SERVICE_ARN },
        ...(failedOutputs === undefined ? {} : { failedOutputs }),
      },
      harness(),
    );
    const outcome = await executor().rollback?.(rb.ctx);
    expect(outcome).toEqual({
      kind: 'succeeded',
      outputs: {
        task_definition_arn: TD(1),
        service_arn: SERVICE_ARN,
        previous_task_definition_arn: TD(2),
      },
    });
    const now = await service();
    expect(now.taskDefinition).toBe(TD(1));
    expect(
      now.deployments?.map((d) => `${d.taskDefinition ?? ''} ${d.rolloutState ?? ''}`),
    ).toEqual([`${TD(1)} COMPLETED`]);
    expect(rb.logs.map((l) => l.text)).toContain(`service web rolled back to ${TD(1)}`);
    expect(await revisions()).toEqual([TD(1), TD(2)]);
  });

  it('without the restored revision’s outputs, rolls back to the failed run’s previous revision', async () => {
    await deploy({ image_url: 'nginx:2' });
    const rb = rollbackContext<EcsDeployParams>(
      {
        failedOutputs: {
          task_definition_arn: TD(2),
          previous_task_definition_arn: TD(1),
          service_arn: SERVICE_ARN,
        },
      },
      harness(),
    );
    expect((await executor().rollback?.(rb.ctx))?.kind).toBe('succeeded');
    expect((await service()).taskDefinition).toBe(TD(1));

    const nothing = rollbackContext<EcsDeployParams>({}, harness());
    expect(await executor().rollback?.(nothing.ctx)).toEqual({
      kind: 'failed',
      message:
        'cannot tell which task definition to restore: revision 6 recorded no task_definition_arn for step "Step" and the rolled-back run no previous_task_definition_arn',
    });
  });

  it('fails with ECS_DEPLOYMENT_FAILED when the circuit breaker stops an unhealthy image', async () => {
    sandbox.control.markUnhealthy({ imageDigest: BAD_DIGEST });
    const { outcome, logs } = await deploy({ image_url: `nginx@${BAD_DIGEST}` });
    expect(outcome.kind === 'failed' && outcome.code).toBe('ECS_DEPLOYMENT_FAILED');
    expect(outcome.kind === 'failed' && outcome.message).toMatch(
      new RegExp(
        `^the rollout of ${TD(2).replace(/[/.]/g, '\\$&')} to web failed: ECS deployment circuit breaker`,
      ),
    );
    expect(logs.map((l) => l.text)).toContainEqual(
      expect.stringMatching(
        /^ecs: \(service web\) \(task [0-9a-f]{32}\) failed container health checks\.$/,
      ),
    );
    // The breaker put the old revision back; the step leaves it there.
    await advance(10_000);
    expect((await service()).taskDefinition).toBe(TD(1));
  });

  it('fails with ECS_SERVICE_NOT_FOUND for a service that does not exist', async () => {
    const { outcome } = await deploy({ image_url: 'nginx:2', service_name: 'api' });
    expect(outcome.kind === 'failed' && outcome.code).toBe('ECS_SERVICE_NOT_FOUND');
    expect(outcome.kind === 'failed' && outcome.message).toMatch(
      /^service api in cluster apps does not exist or is not active/,
    );
    expect(await revisions()).toEqual([TD(1)]);
  });

  it('stops waiting as soon as the step is aborted', async () => {
    const h = stepContext(params({ image_url: 'nginx:2' }), harness());
    const aborting = createEcsDeployExecutor({
      sdk,
      poller: {
        sleep: (ms, signal) => {
          h.controller.abort();
          return abortableSleep(ms, signal);
        },
      },
    });
    expect(await aborting.execute(h.ctx)).toEqual({
      kind: 'failed',
      code: 'cancelled',
      message: 'the step was stopped while it deployed',
    });
  });

  it('asks for the IAM actions core’s catalog lists for ECS:DEPLOY', () => {
    expect(executor().iamActions(params({ image_url: 'nginx:2' }))).toEqual([
      'ecs:DescribeServices',
      'ecs:DescribeTaskDefinition',
      'ecs:RegisterTaskDefinition',
      'ecs:UpdateService',
      'iam:PassRole',
    ]);
  });

  it('applies the catalog defaults and refuses unresolved values', () => {
    expect(params({ image_url: 'nginx:2' })).toEqual({
      cluster_name: 'apps',
      service_name: 'web',
      image_url: 'nginx:2',
      wait_for_steady_state: true,
      timeout_minutes: 30,
    });
    const parsed = ecsDeployParams.safeParse({
      cluster_name: 'apps',
      service_name: 'web',
      image_url: '[ARTIFACT:web/image_url]',
      wait_for_steady_state: '${{ vars.wait }}',
    });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'))).toEqual([
      'image_url',
      'wait_for_steady_state',
    ]);
  });
});
