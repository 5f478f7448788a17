/** ECS:DEPLOY and ECS:RUN_TASK: roll a new image out to a service; run a one-off task. */
import { z } from 'zod';
import { literalString, namePattern } from './deferred-value.js';
import { allow, arn, parseArn, type IamContext, type IamStatement } from './iam-statement.js';
import {
  flag,
  oneOf,
  freeMap,
  patternedText,
  positiveInt,
  stringList,
  text,
} from './param-schemas.js';
import { defineStepType } from './step-type-definition.js';

/** ECS launch types a one-off task may use. */
export const ECS_LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

const ecsNameChars = /^[A-Za-z0-9_-]+$/;

/** A cluster or service name from a name or an ARN; a wildcard pattern when not literal. */
function ecsName(value: unknown): string {
  const literal = literalString(value);
  if (literal === undefined) return namePattern(value, ecsNameChars);
  const parsed = parseArn(literal);
  // cluster/NAME, service/CLUSTER/NAME and the old service/NAME: the name is the last segment.
  return parsed === undefined ? literal : (parsed.resource.split('/').pop() ?? '*');
}

/** `family` and optional `revision` of a task definition given as family, family:revision or ARN. */
function taskDefinitionRef(value: unknown): { family: string; revision?: string } {
  const literal = literalString(value);
  if (literal === undefined) return { family: namePattern(value, ecsNameChars) };
  const parsed = parseArn(literal);
  const familyRevision =
    parsed === undefined ? literal : parsed.resource.replace(/^task-definition\//, '');
  const [family = '*', revision] = familyRevision.split(':');
  return revision === undefined ? { family } : { family, revision };
}

/** The task definition ARN (pattern) for a reference; `anyRevision` widens to every revision. */
function taskDefinitionArn(value: unknown, ctx: IamContext, anyRevision: boolean): string {
  const { family, revision } = taskDefinitionRef(value);
  const resource = family === '*' ? '*' : `${family}:${anyRevision ? '*' : (revision ?? '*')}`;
  return arn(ctx.partition, 'ecs', ctx.region, ctx.accountId, `task-definition/${resource}`);
}

/** Task and execution roles come from the task definition, which is not known offline. */
function passTaskRoles(sid: string, ctx: IamContext): IamStatement {
  return allow(sid, ['iam:PassRole'], arn(ctx.partition, 'iam', '', ctx.accountId, 'role/*'), {
    StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
  });
}

const deployParams = z.strictObject({
  cluster_name: text().describe('Name or ARN of the ECS cluster.'),
  service_name: text().describe('Name or ARN of the ECS service to update.'),
  image_url: text().describe(
    'Image to deploy, usually `${{ stage.artifacts["Name"].image_url }}`.',
  ),
  reference_task_definition: text()
    .optional()
    .describe(
      "Task definition (family, family:revision or ARN) to copy; default: the service's current one.",
    ),
  container_name: text()
    .optional()
    .describe('Container whose image is replaced; required when the task has several containers.'),
  wait_for_steady_state: flag()
    .default(true)
    .describe('Wait until the service reaches a steady state on the new task definition.'),
  timeout_minutes: positiveInt()
    .default(30)
    .describe('How long to wait for a steady state before the step fails.'),
});

export const ecsDeploy = defineStepType({
  id: 'RAMPART:ECS:DEPLOY',
  description:
    'Registers a task definition with the new image and updates an ECS service to it, waiting for a steady state.',
  params: deployParams,
  outputs: ['task_definition_arn', 'previous_task_definition_arn', 'service_arn'],
  rollback: { mode: 'redeploy', description: 'service back to the last good task definition' },
  iam(params, ctx) {
    const cluster = ecsName(params.cluster_name);
    const service = ecsName(params.service_name);
    return [
      allow(
        'EcsDeployService',
        ['ecs:DescribeServices', 'ecs:UpdateService'],
        arn(ctx.partition, 'ecs', ctx.region, ctx.accountId, `service/${cluster}/${service}`),
      ),
      allow(
        'EcsDeployRegister',
        ['ecs:RegisterTaskDefinition'],
        taskDefinitionArn(params.reference_task_definition, ctx, true),
      ),
      // DescribeTaskDefinition supports no resource-level permissions.
      allow('EcsDeployDescribe', ['ecs:DescribeTaskDefinition'], '*'),
      passTaskRoles('EcsDeployPassRole', ctx),
    ];
  },
});

const runTaskParams = z.strictObject({
  cluster_name: text().describe('Name or ARN of the ECS cluster to run the task in.'),
  task_definition: text().describe('Task definition to run: family, family:revision or ARN.'),
  container_name: text()
    .optional()
    .describe('Container that `command` and `environment` apply to; default: the first one.'),
  command: stringList()
    .optional()
    .describe('Command override for the container, as a list: ["npm", "run", "migrate"].'),
  environment: freeMap().optional().describe('Environment variables added to the container.'),
  subnets: stringList(patternedText(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id (subnet-…)'))
    .optional()
    .describe('Subnet ids for awsvpc networking (required by Fargate).'),
  security_groups: stringList(patternedText(/^sg-[0-9a-f]{8,17}$/, 'a security group id (sg-…)'))
    .optional()
    .describe('Security group ids for awsvpc networking.'),
  launch_type: oneOf(ECS_LAUNCH_TYPES)
    .default('FARGATE')
    .describe('Launch type: FARGATE, EC2 or EXTERNAL.'),
  timeout_minutes: positiveInt()
    .optional()
    .describe('How long the task may run before it is stopped and the step fails.'),
});

export const ecsRunTask = defineStepType({
  id: 'RAMPART:ECS:RUN_TASK',
  description:
    'Runs a one-off ECS task and waits for it to stop; a non-zero exit code fails the step.',
  params: runTaskParams,
  outputs: ['task_arn', 'exit_code'],
  rollback: { mode: 'none', description: 'none' },
  iam(params, ctx) {
    const cluster = ecsName(params.cluster_name);
    const clusterArn = arn(ctx.partition, 'ecs', ctx.region, ctx.accountId, `cluster/${cluster}`);
    const clusterCondition: IamStatement['Condition'] = cluster.includes('*')
      ? { ArnLike: { 'ecs:cluster': clusterArn } }
      : { ArnEquals: { 'ecs:cluster': clusterArn } };
    return [
      allow(
        'EcsRunTask',
        ['ecs:RunTask'],
        taskDefinitionArn(params.task_definition, ctx, false),
        clusterCondition,
      ),
      allow(
        'EcsRunTaskWatch',
        ['ecs:DescribeTasks', 'ecs:StopTask'],
        arn(ctx.partition, 'ecs', ctx.region, ctx.accountId, `task/${cluster}/*`),
      ),
      // Finds the container to override when container_name is absent; no resource-level control.
      allow('EcsRunTaskDescribe', ['ecs:DescribeTaskDefinition'], '*'),
      passTaskRoles('EcsRunTaskPassRole', ctx),
      // The task's container output (awslogs) followed into the step log. The log group and
      // stream prefix come from the task definition, which is not known offline.
      allow(
        'EcsRunTaskLogs',
        ['logs:GetLogEvents'],
        arn(ctx.partition, 'logs', ctx.region, ctx.accountId, 'log-group:*:log-stream:*'),
      ),
    ];
  },
});
