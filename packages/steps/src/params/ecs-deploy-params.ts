// ECS:DEPLOY params as the executor uses them: core's catalog schema (defaults applied), resolved.
import { STEP_TYPES } from '@rampart/core';
import { resolvedFlag, resolvedNumber, resolvedText } from './resolve-params.js';

/** ECS:DEPLOY params, resolved. */
export interface EcsDeployParams {
  cluster_name: string;
  service_name: string;
  image_url: string;
  /** @default the service's current task definition */
  reference_task_definition?: string;
  /** @default the only container of the task definition */
  container_name?: string;
  /** @default true */
  wait_for_steady_state: boolean;
  /** @default 30 */
  timeout_minutes: number;
}

/** The schema of ECS:DEPLOY params: core's, resolved. */
export const ecsDeployParams = STEP_TYPES['RAMPART:ECS:DEPLOY'].params.transform(
  (raw, ctx): EcsDeployParams => {
    const params: EcsDeployParams = {
      cluster_name: resolvedText(raw.cluster_name, 'cluster_name', ctx),
      service_name: resolvedText(raw.service_name, 'service_name', ctx),
      image_url: resolvedText(raw.image_url, 'image_url', ctx),
      wait_for_steady_state: resolvedFlag(raw.wait_for_steady_state, 'wait_for_steady_state', ctx),
      timeout_minutes: resolvedNumber(raw.timeout_minutes, 'timeout_minutes', ctx),
    };
    if (raw.reference_task_definition !== undefined) {
      params.reference_task_definition = resolvedText(
        raw.reference_task_definition,
        'reference_task_definition',
        ctx,
      );
    }
    if (raw.container_name !== undefined) {
      params.container_name = resolvedText(raw.container_name, 'container_name', ctx);
    }
    return params;
  },
);
