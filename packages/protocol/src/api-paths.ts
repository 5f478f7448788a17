/** The API's paths, built in one place so clients and the server never disagree on one. */

/** Every API route is under this prefix. */
export const API_PREFIX = '/api/v1';

const seg = (value: string | number): string => encodeURIComponent(String(value));

/** Path builders for every API route (no query strings). */
export const apiPaths = {
  whoami: () => `${API_PREFIX}/whoami`,
  pipelines: () => `${API_PREFIX}/pipelines`,
  pipeline: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}`,
  pipelineStatus: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/status`,
  deployments: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/deployments`,
  deployment: (slug: string, revision: number) =>
    `${API_PREFIX}/pipelines/${seg(slug)}/deployments/${seg(revision)}`,
  stage: (slug: string, revision: number, stage: string) =>
    `${apiPaths.deployment(slug, revision)}/stages/${seg(stage)}`,
  step: (slug: string, revision: number, stage: string, step: string) =>
    `${apiPaths.stage(slug, revision, stage)}/steps/${seg(step)}`,
  logs: (slug: string, revision: number) => `${apiPaths.deployment(slug, revision)}/logs`,
  deploymentEvents: (slug: string, revision: number) =>
    `${apiPaths.deployment(slug, revision)}/events`,
  pipelineEvents: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/events`,
  events: () => `${API_PREFIX}/events`,
  operations: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/operations`,
  blockers: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/blockers`,
  rollbacks: (slug: string) => `${API_PREFIX}/pipelines/${seg(slug)}/rollbacks`,
  approvals: () => `${API_PREFIX}/approvals`,
  tokens: () => `${API_PREFIX}/tokens`,
  token: (id: string) => `${API_PREFIX}/tokens/${seg(id)}`,
  secrets: () => `${API_PREFIX}/secrets`,
  alarmEvents: () => `${API_PREFIX}/alarm-events`,
  health: () => '/healthz',
  readiness: () => '/readyz',
  metrics: () => '/metrics',
} as const;
