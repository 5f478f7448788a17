import {
  AccessDeniedException,
  ClientException,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
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
  taskRole,
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

const arn = (family: string, revision: number): string =>
  `arn:aws:ecs:us-east-1:${DEV}:task-definition/${family}:${revision}`;

describe('ECS task definitions', () => {
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

  it('registers revisions with defaults filled in and describes them by family, revision or ARN', async () => {
    const role = await taskRole(sandbox, clock, DEV, 'exec');
    const { taskDefinition, tags } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...fargateDefinition('web', 'nginx:1.27', {
          environment: [{ name: 'MODE', value: 'prod' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'web' },
          },
        }),
        cpu: '0.25 vCPU',
        memory: '0.5 GB',
        executionRoleArn: role,
        taskRoleArn: role,
        tags: [{ key: 'app', value: 'web' }],
      }),
    );
    expect(tags).toEqual([{ key: 'app', value: 'web' }]);
    expect(taskDefinition).toMatchObject({
      taskDefinitionArn: arn('web', 1),
      family: 'web',
      revision: 1,
      status: 'ACTIVE',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      executionRoleArn: role,
      taskRoleArn: role,
      requiresCompatibilities: ['FARGATE'],
      compatibilities: ['EC2', 'FARGATE'],
      registeredBy: `arn:aws:iam::${DEV}:user/admin`,
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx:1.27',
          cpu: 0,
          essential: true,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
          environment: [{ name: 'MODE', value: 'prod' }],
          mountPoints: [],
          volumesFrom: [],
          logConfiguration: { logDriver: 'awslogs' },
        },
      ],
    });
    expect(taskDefinition?.registeredAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(taskDefinition?.requiresAttributes).toContainEqual({
      name: 'com.amazonaws.ecs.capability.logging-driver.awslogs',
    });
    await register(ecs, fargateDefinition('web', 'nginx:1.28'));

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.tags).toBeUndefined();
    const first = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }),
    );
    expect(first.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:1.27');
    expect(first.tags).toEqual([{ key: 'app', value: 'web' }]);
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: arn('web', 2) }),
    );
    expect(byArn.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:1.28');
    expect(
      await rejection(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:9' }))),
    ).toBeInstanceOf(ClientException);
  });

  it('deregisters revisions (INACTIVE) and lists revisions and families', async () => {
    for (const family of ['api', 'web', 'web', 'worker']) {
      await register(ecs, fargateDefinition(family, 'nginx:latest'));
    }
    const { taskDefinition } = await ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }),
    );
    expect(taskDefinition?.status).toBe('INACTIVE');
    expect(taskDefinition?.deregisteredAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    // The family now names its latest ACTIVE revision.
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition?.revision).toBe(1);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn('worker', 1) }));

    const active = await ecs.send(new ListTaskDefinitionsCommand({}));
    expect(active.taskDefinitionArns).toEqual([arn('api', 1), arn('web', 1)]);
    const inactive = await ecs.send(
      new ListTaskDefinitionsCommand({ status: 'INACTIVE', sort: 'DESC' }),
    );
    expect(inactive.taskDefinitionArns).toEqual([arn('worker', 1), arn('web', 2)]);
    const web = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'INACTIVE' }),
    );
    expect(web.taskDefinitionArns).toEqual([arn('web', 2)]);
    const paged = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 1 }));
    expect(paged.taskDefinitionArns).toEqual([arn('api', 1)]);
    const rest = await ecs.send(
      new ListTaskDefinitionsCommand({ maxResults: 1, nextToken: paged.nextToken }),
    );
    expect(rest.taskDefinitionArns).toEqual([arn('web', 1)]);
    expect(rest.nextToken).toBeUndefined();

    const all = await ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    expect(all.families).toEqual(['api', 'web', 'worker']);
    const activeFamilies = await ecs.send(
      new ListTaskDefinitionFamiliesCommand({ status: 'ACTIVE', familyPrefix: 'w' }),
    );
    expect(activeFamilies.families).toEqual(['web']);
    const gone = await ecs.send(new ListTaskDefinitionFamiliesCommand({ status: 'INACTIVE' }));
    expect(gone.families).toEqual(['worker']);
    expect(
      await rejection(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web' }))),
    ).toBeInstanceOf(InvalidParameterException);
    expect(
      await rejection(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'nope:1' }))),
    ).toBeInstanceOf(ClientException);
    expect(
      await rejection(ecs.send(new ListTaskDefinitionsCommand({ status: 'GONE' as 'ACTIVE' }))),
    ).toBeInstanceOf(InvalidParameterException);
  });

  it('refuses definitions ECS refuses, with its messages', async () => {
    const cases: [Parameters<typeof fargateDefinition>, string][] = [
      [['web', ''], 'Container.image should not be null or empty.'],
      [['bad family!', 'nginx'], 'Family contains invalid characters'],
      [
        ['web', 'nginx', {}, { cpu: '256', memory: '4096' }],
        'No Fargate configuration exists for given values: 256 CPU, 4096 memory.',
      ],
      [['web', 'nginx', {}, { networkMode: 'bridge' }], 'Fargate only supports network mode'],
      [
        [
          'web',
          'nginx',
          { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } },
        ],
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      ],
      [['web', 'nginx', { essential: false }], 'at least one essential container'],
    ];
    for (const [args, message] of cases) {
      const error = await rejection(
        ecs.send(new RegisterTaskDefinitionCommand(fargateDefinition(...args))),
      );
      expect(error, message).toBeInstanceOf(ClientException);
      expect(error.message).toContain(message);
    }
    const noMemory = await rejection(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'ec2',
          containerDefinitions: [{ name: 'app', image: 'nginx' }],
        }),
      ),
    );
    expect(noMemory.message).toBe(
      "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    const missing = await rejection(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'x', containerDefinitions: [] })),
    );
    expect(missing).toBeInstanceOf(ClientException);
  });

  it('checks iam:PassRole for the task and execution roles, and IAM on the family', async () => {
    const role = await taskRole(sandbox, clock, DEV, 'app');
    const registrar = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'registrar', [
        {
          Effect: 'Allow',
          Action: 'ecs:RegisterTaskDefinition',
          Resource: `arn:aws:ecs:us-east-1:${DEV}:task-definition/web:*`,
        },
      ]),
      clock,
    );
    await registrar.send(new RegisterTaskDefinitionCommand(fargateDefinition('web', 'nginx')));
    const passDenied = await rejection(
      registrar.send(
        new RegisterTaskDefinitionCommand(
          fargateDefinition('web', 'nginx', {}, { taskRoleArn: role }),
        ),
      ),
    );
    expect(passDenied).toBeInstanceOf(AccessDeniedException);
    expect(passDenied.message).toBe(
      `User: arn:aws:iam::${DEV}:user/registrar is not authorized to perform: iam:PassRole on resource: ${role} because no identity-based policy allows the iam:PassRole action`,
    );
    expect(
      await rejection(
        registrar.send(new RegisterTaskDefinitionCommand(fargateDefinition('api', 'nginx'))),
      ),
    ).toBeInstanceOf(AccessDeniedException);
    expect(
      await rejection(registrar.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))),
    ).toBeInstanceOf(AccessDeniedException);

    const passer = ecsClient(
      sandbox,
      await userWithPolicy(sandbox, clock, DEV, 'passer', [
        { Effect: 'Allow', Action: 'ecs:RegisterTaskDefinition', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: role,
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
      ]),
      clock,
    );
    const { taskDefinition } = await passer.send(
      new RegisterTaskDefinitionCommand(
        fargateDefinition('web', 'nginx', {}, { taskRoleArn: role, executionRoleArn: role }),
      ),
    );
    expect(taskDefinition?.revision).toBe(2);
    expect(
      await rejection(
        passer.send(
          new RegisterTaskDefinitionCommand(
            fargateDefinition('web', 'nginx', {}, { taskRoleArn: 'not-a-role' }),
          ),
        ),
      ),
    ).toBeInstanceOf(ClientException);
  });
});
