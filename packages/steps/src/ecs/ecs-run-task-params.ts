// ECS:RUN_TASK params as the executor uses them: core's catalog schema (defaults applied), resolved.
import { ECS_LAUNCH_TYPES, STEP_TYPES } from '@rampart/core';
import { resolvedList, resolvedStringMap } from '../aws-step/resolved-values.js';
import { resolvedNumber, resolvedText } from '../params/resolve-params.js';

/** An ECS launch type. */
export type EcsLaunchType = (typeof ECS_LAUNCH_TYPES)[number];

/** ECS:RUN_TASK params, resolved. */
export interface EcsRunTaskParams {
  cluster_name: string;
  /** Family, family:revision or ARN. */
  task_definition: string;
  /** The container `command` and `environment` apply to, whose exit code counts. @default the first one */
  container_name?: string;
  /** @default the image's command */
  command?: string[];
  /** Added to the container's environment. @default {} */
  environment: Record<string, string>;
  /** awsvpc subnets (Fargate needs them). @default none */
  subnets?: string[];
  /** @default none */
  security_groups?: string[];
  /** @default FARGATE */
  launch_type: EcsLaunchType;
  /** Stops the task and fails the step after this many minutes. @default no limit */
  timeout_minutes?: number;
}

/** The schema of ECS:RUN_TASK params: core's, resolved. */
export const ecsRunTaskParams = STEP_TYPES['RAMPART:ECS:RUN_TASK'].params.transform(
  (raw, ctx): EcsRunTaskParams => {
    const launchType = resolvedText(raw.launch_type, 'launch_type', ctx);
    const params: EcsRunTaskParams = {
      cluster_name: resolvedText(raw.cluster_name, 'cluster_name', ctx),
      task_definition: resolvedText(raw.task_definition, 'task_definition', ctx),
      environment: resolvedStringMap(raw.environment, 'environment', ctx),
      launch_type: ECS_LAUNCH_TYPES.find((t) => t === launchType) ?? 'FARGATE',
    };
    if (raw.container_name !== undefined) {
      params.container_name = resolvedText(raw.container_name, 'container_name', ctx);
    }
    const command = resolvedList(raw.command, 'command', ctx);
    if (command !== undefined) params.command = command;
    const subnets = resolvedList(raw.subnets, 'subnets', ctx);
    if (subnets !== undefined) params.subnets = subnets;
    const groups = resolvedList(raw.security_groups, 'security_groups', ctx);
    if (groups !== undefined) params.security_groups = groups;
    if (raw.timeout_minutes !== undefined) {
      params.timeout_minutes = resolvedNumber(raw.timeout_minutes, 'timeout_minutes', ctx);
    }
    return params;
  },
);
