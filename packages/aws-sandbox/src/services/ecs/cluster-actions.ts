// Clusters: create (idempotent), describe (with failures for missing ones), list, delete.
import type { ActionContext, ActionDefinition } from '../../framework/service.js';
import { authorizeTagOnCreate, requestTagContext, target } from './ecs-access.js';
import {
  clusterContainsServices,
  clusterContainsTasks,
  clusterNotFound,
  invalidParameter,
} from './ecs-errors.js';
import { boundedList, ecsPage, readTags } from './ecs-input.js';
import { clusterNameOf } from './ecs-lookup.js';
import { clusterArn } from './ecs-names.js';
import type { EcsCluster } from './ecs-state.js';
import { ecsState } from './ecs-world.js';
import { ownValue, putOwn } from '../../state/own-record.js';
import { taskStatus } from './task-lifecycle.js';

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const INCLUDES = ['ATTACHMENTS', 'CONFIGURATIONS', 'SETTINGS', 'STATISTICS', 'TAGS'] as const;

/** What DescribeClusters shows beyond the basics. */
interface ClusterInclude {
  tags: boolean;
  settings: boolean;
  configurations: boolean;
  statistics: boolean;
}

const EVERYTHING: ClusterInclude = {
  tags: true,
  settings: true,
  configurations: true,
  statistics: false,
};

/** A cluster as ECS returns it. */
export function renderCluster(
  cluster: EcsCluster,
  now: number,
  include: ClusterInclude = EVERYTHING,
): Record<string, unknown> {
  const statuses = Object.values(cluster.tasks).map((task) => taskStatus(task, now));
  const services = Object.values(cluster.services).filter((s) => s.status !== 'INACTIVE');
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: statuses.filter((status) => status === 'RUNNING').length,
    pendingTasksCount: statuses.filter(
      (status) => status === 'PROVISIONING' || status === 'PENDING',
    ).length,
    activeServicesCount: services.length,
    statistics: [],
    ...(include.tags ? { tags: cluster.tags } : {}),
    ...(include.settings ? { settings: cluster.settings } : {}),
    ...(include.configurations && cluster.configuration !== undefined
      ? { configuration: cluster.configuration }
      : {}),
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
  };
}

function newClusterName(ctx: ActionContext): string {
  const name = ctx.input.str('clusterName') ?? 'default';
  if (!CLUSTER_NAME.test(name)) {
    throw invalidParameter(
      'Cluster name can only contain letters, numbers, hyphens and underscores, up to 255 characters.',
    );
  }
  return name;
}

function clusterNames(ctx: ActionContext): string[] {
  const refs = boundedList(ctx.input, 'clusters', 100);
  return (refs.length > 0 ? refs : ['default']).map((ref) => clusterNameOf(ctx, ref));
}

/** Cluster actions. */
export const clusterActions: Record<string, ActionDefinition> = {
  CreateCluster: {
    validate: (ctx) => {
      newClusterName(ctx);
      readTags(ctx.input);
    },
    resources: (ctx) => [target(clusterArn(ctx.region, ctx.accountId, newClusterName(ctx)))],
    context: (ctx) => requestTagContext(readTags(ctx.input)),
    handler: async (ctx) => {
      const name = newClusterName(ctx);
      const arn = clusterArn(ctx.region, ctx.accountId, name);
      const tags = readTags(ctx.input);
      await authorizeTagOnCreate(ctx, arn, tags);
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const now = ctx.clock.now().getTime();
      const existing = ownValue(state.clusters, name);
      // CreateCluster is idempotent: an ACTIVE cluster of that name is returned as it is.
      if (existing?.status === 'ACTIVE') return { cluster: renderCluster(existing, now) };
      const settings = ctx.input.list('settings').map((setting) => ({
        name: setting.reqStr('name'),
        value: setting.reqStr('value'),
      }));
      const configuration = ctx.input.raw['configuration'];
      const cluster: EcsCluster = {
        clusterName: name,
        clusterArn: arn,
        status: 'ACTIVE',
        createdAt: new Date(now).toISOString(),
        tags,
        settings:
          settings.length > 0 ? settings : [{ name: 'containerInsights', value: 'disabled' }],
        capacityProviders: ctx.input.strList('capacityProviders'),
        defaultCapacityProviderStrategy: ctx.input
          .list('defaultCapacityProviderStrategy')
          .map((item) => item.raw),
        ...(configuration !== undefined && configuration !== null ? { configuration } : {}),
        services: {},
        tasks: {},
      };
      putOwn(state.clusters, name, cluster);
      return { cluster: renderCluster(cluster, now) };
    },
  },

  DescribeClusters: {
    validate: (ctx) => {
      clusterNames(ctx);
      for (const item of ctx.input.strList('include')) {
        if (!(INCLUDES as readonly string[]).includes(item)) {
          throw invalidParameter(`Invalid include value: ${item}`);
        }
      }
    },
    resources: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      return clusterNames(ctx).map((name) =>
        target(clusterArn(ctx.region, ctx.accountId, name), ownValue(state.clusters, name)?.tags),
      );
    },
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const now = ctx.clock.now().getTime();
      const include = new Set(ctx.input.strList('include'));
      const clusters: Record<string, unknown>[] = [];
      const failures: { arn: string; reason: string }[] = [];
      for (const name of clusterNames(ctx)) {
        const cluster = ownValue(state.clusters, name);
        if (!cluster) {
          failures.push({ arn: clusterArn(ctx.region, ctx.accountId, name), reason: 'MISSING' });
          continue;
        }
        clusters.push(
          renderCluster(cluster, now, {
            tags: include.has('TAGS'),
            settings: include.has('SETTINGS'),
            configurations: include.has('CONFIGURATIONS'),
            statistics: include.has('STATISTICS'),
          }),
        );
      }
      return { clusters, failures };
    },
  },

  ListClusters: {
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const arns = Object.values(state.clusters)
        .filter((cluster) => cluster.status === 'ACTIVE')
        .map((cluster) => cluster.clusterArn);
      const { page, nextToken } = ecsPage(arns, ctx.input, 100);
      return { clusterArns: page, ...(nextToken !== undefined ? { nextToken } : {}) };
    },
  },

  DeleteCluster: {
    validate: (ctx) => {
      ctx.input.reqStr('cluster');
    },
    resources: (ctx) => {
      const name = clusterNameOf(ctx, ctx.input.reqStr('cluster'));
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      return [
        target(clusterArn(ctx.region, ctx.accountId, name), ownValue(state.clusters, name)?.tags),
      ];
    },
    handler: (ctx) => {
      const state = ecsState(ctx.runtime, ctx.accountId, ctx.region);
      const now = ctx.clock.now().getTime();
      const cluster = ownValue(state.clusters, clusterNameOf(ctx, ctx.input.reqStr('cluster')));
      if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
      if (Object.values(cluster.services).some((service) => service.status !== 'INACTIVE')) {
        throw clusterContainsServices();
      }
      if (Object.values(cluster.tasks).some((task) => taskStatus(task, now) !== 'STOPPED')) {
        throw clusterContainsTasks();
      }
      cluster.status = 'INACTIVE';
      cluster.services = {};
      cluster.tasks = {};
      return { cluster: renderCluster(cluster, now) };
    },
  },
};
