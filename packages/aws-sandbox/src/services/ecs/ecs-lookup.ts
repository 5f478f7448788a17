// Finding what a request names: clusters, services, task definitions and tasks, by name or ARN.
import type { ActionContext } from '../../framework/service.js';
import { clientError, clusterNotFound, invalidParameter, serviceNotFound } from './ecs-errors.js';
import { parseEcsArn } from './ecs-names.js';
import type { EcsCluster, EcsService, EcsState, EcsTaskDefinition } from './ecs-state.js';
import { ownValue } from '../../state/own-record.js';

/** The cluster a `cluster` parameter names (`default` when absent). */
export function clusterNameOf(ctx: ActionContext, ref: string | undefined): string {
  if (ref === undefined || ref === '') return 'default';
  if (!ref.startsWith('arn:')) return ref;
  const parsed = parseEcsArn(ref);
  if (parsed?.type !== 'cluster' || parsed.path.length !== 1) {
    throw invalidParameter(`Invalid cluster ARN: ${ref}`);
  }
  if (parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) throw clusterNotFound();
  return parsed.path[0] ?? '';
}

/** The ACTIVE cluster the request's `cluster` parameter names, or `ClusterNotFoundException`. */
export function activeCluster(ctx: ActionContext, state: EcsState): EcsCluster {
  const cluster = ownValue(state.clusters, clusterNameOf(ctx, ctx.input.str('cluster')));
  if (!cluster) throw clusterNotFound();
  if (cluster.status !== 'ACTIVE') throw clusterNotFound('The referenced cluster was inactive.');
  return cluster;
}

/** The service name a reference (name or ARN) gives. */
export function serviceNameOf(ref: string): string {
  if (!ref.startsWith('arn:')) return ref;
  const parsed = parseEcsArn(ref);
  if (parsed?.type !== 'service') throw invalidParameter(`Invalid service ARN: ${ref}`);
  return parsed.path[parsed.path.length - 1] ?? '';
}

/** The service a reference names in a cluster, or `ServiceNotFoundException`. */
export function findService(cluster: EcsCluster, ref: string): EcsService {
  const service = ownValue(cluster.services, serviceNameOf(ref));
  if (!service) throw serviceNotFound();
  return service;
}

/** How a task definition reference reads: family (latest ACTIVE), family:revision, or ARN. */
export function parseTaskDefinitionRef(ref: string): { family: string; revision?: number } {
  let text = ref;
  if (ref.startsWith('arn:')) {
    const parsed = parseEcsArn(ref);
    if (parsed?.type !== 'task-definition') {
      throw invalidParameter(`Invalid task definition ARN: ${ref}`);
    }
    text = parsed.path.join('/');
  }
  const match = /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!match) throw clientError('Unable to describe task definition.');
  return {
    family: match[1] ?? '',
    ...(match[2] !== undefined ? { revision: Number(match[2]) } : {}),
  };
}

/**
 * The task definition a reference names: `family` is its latest ACTIVE revision. Undefined when
 * there is none.
 */
export function findTaskDefinition(state: EcsState, ref: string): EcsTaskDefinition | undefined {
  const { family, revision } = parseTaskDefinitionRef(ref);
  const revisions = ownValue(state.families, family)?.revisions ?? [];
  if (revision !== undefined) return revisions[revision - 1];
  return [...revisions].reverse().find((definition) => definition.status === 'ACTIVE');
}

/**
 * The ACTIVE task definition a service or RunTask uses: `ClientException` when it is missing or
 * inactive, as ECS answers.
 */
export function usableTaskDefinition(state: EcsState, ref: string): EcsTaskDefinition {
  const definition = findTaskDefinition(state, ref);
  if (!definition) throw clientError('TaskDefinition not found.');
  if (definition.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return definition;
}

/** The task id a reference (id or ARN) gives. */
export function taskIdOf(ref: string): string {
  if (!ref.startsWith('arn:')) return ref;
  const parsed = parseEcsArn(ref);
  if (parsed?.type !== 'task') throw invalidParameter(`Invalid task ARN: ${ref}`);
  return parsed.path[parsed.path.length - 1] ?? '';
}
