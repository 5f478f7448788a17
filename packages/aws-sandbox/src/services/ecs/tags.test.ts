import {
  AccessDeniedException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  RunTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV } from '../../../tests/sdk-clients.js';
import { ManualClock } from '../../clock.js';
import { startSandbox, type Sandbox } from '../../sandbox.js';
import {
  ecsClient,
  fargateDefinition,
  register,
  userWithPolicy,
} from './test-support/ecs-sandbox.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
const ARN = `arn:aws:ecs:us-east-1:${DEV}`;

describe('ECS tags', () => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let sandbox: Sandbox;
  let ecs: ECSClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, tickIntervalMs: 0 });
    ecs = ecsClient(sandbox, sandbox.credentialsFor(DEV), clock);
  });
  beforeEach(() => sandbox.control.reset());
  afterAll(async () => {
    await sandbox.stop();
  });

  const tagsOf = async (resourceArn: string) =>
    (await ecs.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

  it('tags and untags clusters, services, task definitions and tasks', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    const definition = await register(ecs, fargateDefinition('web', 'nginx'));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'web',
        taskDefinition: definition,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        tags: [{ key: 'tier', value: 'front' }],
      }),
    );
    const { tasks } = await ecs.send(
      new RunTaskCommand({
        cluster: 'apps',
        taskDefinition: definition,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const arns = [
      `${ARN}:cluster/apps`,
      `${ARN}:service/apps/web`,
      definition,
      tasks?.[0]?.taskArn ?? '',
    ];
    for (const resourceArn of arns) {
      await ecs.send(
        new TagResourceCommand({
          resourceArn,
          tags: [
            { key: 'owner', value: 'rampart' },
            { key: 'tier', value: 'back' },
          ],
        }),
      );
      expect(await tagsOf(resourceArn), resourceArn).toEqual([
        ...(resourceArn.includes(':service/') ? [] : [{ key: 'owner', value: 'rampart' }]),
        { key: 'tier', value: 'back' },
        ...(resourceArn.includes(':service/') ? [{ key: 'owner', value: 'rampart' }] : []),
      ]);
      await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['tier', 'absent'] }));
      expect(await tagsOf(resourceArn)).toEqual([{ key: 'owner', value: 'rampart' }]);
    }
  });

  it('refuses missing resources, bad ARNs and reserved keys; authorizes with resource tags', async () => {
    expect(await rejection(tagsOf(`${ARN}:cluster/nope`))).toBeInstanceOf(ClusterNotFoundException);
    await ecs.send(
      new CreateClusterCommand({ clusterName: 'apps', tags: [{ key: 'team', value: 'a' }] }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'other' }));
    expect(await rejection(tagsOf(`${ARN}:service/apps/nope`))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await rejection(tagsOf(`${ARN}:task-definition/nope:1`))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await rejection(tagsOf('arn:aws:s3:::bucket'))).toBeInstanceOf(
      InvalidParameterException,
    );
    expect(
      await rejection(
        ecs.send(
          new TagResourceCommand({
            resourceArn: `${ARN}:cluster/apps`,
            tags: [{ key: 'aws:owner', value: 'x' }],
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidParameterException);

    const tagger = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'tagger', [
        {
          Effect: 'Allow',
          Action: ['ecs:TagResource', 'ecs:ListTagsForResource'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
        },
      ]),
      clock,
    );
    await tagger.send(
      new TagResourceCommand({
        resourceArn: `${ARN}:cluster/apps`,
        tags: [{ key: 'x', value: 'y' }],
      }),
    );
    expect(
      await rejection(
        tagger.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:cluster/other` })),
      ),
    ).toBeInstanceOf(AccessDeniedException);
    expect(
      await rejection(
        tagger.send(
          new UntagResourceCommand({ resourceArn: `${ARN}:cluster/apps`, tagKeys: ['x'] }),
        ),
      ),
    ).toBeInstanceOf(AccessDeniedException);
  });
});
