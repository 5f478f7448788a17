/** Waiting for deployments through the API, skipping bakes on the shared clock when asked. */
import type { DeploymentDetail, DeploymentStatus, StageDetail } from '@rampart/protocol';
import type { ApiClient } from './api-client.js';
import type { SkippableClock } from './skippable-clock.js';
import { waitFor, type WaitOptions } from './wait-for.js';

/** What the waits need: the API and, to skip bakes, the clock the server runs on. */
export interface DeploymentView {
  api: ApiClient;
  clock?: SkippableClock;
}

/**
 * Waits until deployment `revision` of `slug` is no longer running and returns it. With
 * `skipBakes`, each bake that runs meanwhile is ended by moving the clock to its end.
 */
export async function settled(
  view: DeploymentView,
  slug: string,
  revision: number,
  options: WaitOptions & { skipBakes?: boolean } = {},
): Promise<DeploymentDetail> {
  return waitFor(
    `${slug}:${revision} to finish`,
    async (seen) => {
      const deployment = await view.api.deployment(slug, revision);
      seen(outline(deployment));
      if (deployment.status !== 'running' && deployment.status !== 'building') return deployment;
      if (options.skipBakes === true) skipRunningBakes(view, deployment);
      return undefined;
    },
    options,
  );
}

/** Waits until the deployment has one of `statuses`. */
export async function inStatus(
  view: DeploymentView,
  slug: string,
  revision: number,
  statuses: readonly DeploymentStatus[],
  options: WaitOptions = {},
): Promise<DeploymentDetail> {
  return waitFor(
    `${slug}:${revision} to be ${statuses.join(' or ')}`,
    async (seen) => {
      const deployment = await view.api.deployment(slug, revision);
      seen(outline(deployment));
      return statuses.includes(deployment.status) ? deployment : undefined;
    },
    options,
  );
}

/** Waits until stage `stage` of the deployment satisfies `test`; returns the deployment. */
export async function stageWhere(
  view: DeploymentView,
  slug: string,
  revision: number,
  stage: string,
  test: (stage: StageDetail) => boolean,
  options: WaitOptions & { skipBakes?: boolean } = {},
): Promise<DeploymentDetail> {
  return waitFor(
    `stage ${stage} of ${slug}:${revision} to reach the awaited state`,
    async (seen) => {
      const deployment = await view.api.deployment(slug, revision);
      seen(outline(deployment));
      const found = deployment.stages.find((s) => s.name === stage);
      if (found !== undefined && test(found)) return deployment;
      if (options.skipBakes === true) skipRunningBakes(view, deployment);
      return undefined;
    },
    options,
  );
}

/** Moves the clock to the end of every bake of the deployment that is running. */
export function skipRunningBakes(view: DeploymentView, deployment: DeploymentDetail): void {
  for (const stage of deployment.stages) {
    for (const step of stage.steps) {
      if (step.status === 'running' && step.bakeEndsAt !== undefined) {
        view.clock?.advanceTo(new Date(Date.parse(step.bakeEndsAt) + 1));
      }
    }
  }
}

/** A short picture of a deployment for timeout messages. */
export function outline(deployment: DeploymentDetail): unknown {
  return {
    status: deployment.status,
    stages: deployment.stages.map(
      (s) =>
        `${s.name}: ${s.status}${s.waitingFor === undefined ? '' : ` (${s.waitingFor})`} [${s.steps
          .map((step) => `${step.name}=${step.status}${step.error ? `:${step.error.message}` : ''}`)
          .join(', ')}]${s.error === undefined ? '' : ` ${s.error}`}`,
    ),
  };
}

/** `[stage, status]` pairs of a deployment, in pipeline order. */
export function stageStatuses(deployment: DeploymentDetail): [string, string][] {
  return deployment.stages.map((s) => [s.name, s.status]);
}
