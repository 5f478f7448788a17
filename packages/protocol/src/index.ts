/** @rampart/protocol: the shapes of Rampart's HTTP API and streamed events, as zod schemas. */
export * from './statuses.js';
export * from './common.js';
export * from './errors.js';
export * from './access.js';
export * from './secrets.js';
export * from './pipelines.js';
export * from './deployments.js';
export * from './stage-control.js';
export * from './pipeline-status.js';
export * from './approvals.js';
export * from './operations.js';
export * from './events.js';
export * from './logs.js';
export * from './sse.js';
export * from './system.js';
export * from './api-paths.js';
