/**
 * Follows one deployment through its event stream until it ends: every event goes to `onEvent`,
 * and when an event says the deployment finished, its detail is read and returned (a retried or
 * rolled-forward deployment runs again, so the detail has the last word).
 */
import {
  apiPaths,
  engineEventSchema,
  isTerminalDeploymentStatus,
  SSE_EVENTS,
  type DeploymentDetail,
  type EngineEventInfo,
} from '@rampart/protocol';
import type { RampartClient } from './rampart-client.js';
import { parseMessageData, sseBatches, type SseStreamOptions } from './sse-stream.js';

/** Event types after which a deployment may have ended. */
const ENDING_EVENTS = new Set([
  'deployment.succeeded',
  'deployment.failed',
  'deployment.cancelled',
  'deployment.rolled_back',
  'deployment.superseded',
]);

/** Options of {@link followDeployment}. */
export interface FollowDeploymentOptions extends SseStreamOptions {
  /** Called with each event of the deployment, oldest first (from its creation). */
  onEvent?: (event: EngineEventInfo) => void;
}

/**
 * Resolves with the deployment's detail once it has ended; undefined when `signal` aborted the
 * following first.
 */
export async function followDeployment(
  client: RampartClient,
  slug: string,
  revision: number,
  options: FollowDeploymentOptions = {},
): Promise<DeploymentDetail | undefined> {
  // It may have ended already: then there is nothing to follow.
  const before = await client.deployment(slug, revision);
  if (isTerminalDeploymentStatus(before.status)) return before;
  const path = apiPaths.deploymentEvents(slug, revision);
  for await (const batch of sseBatches(client, path, options)) {
    let ended = false;
    for (const message of batch) {
      if (message.event !== SSE_EVENTS.engineEvent) continue;
      const event = parseMessageData(engineEventSchema, message, client.target.url);
      options.onEvent?.(event);
      if (ENDING_EVENTS.has(event.type)) ended = true;
    }
    if (!ended) continue;
    const detail = await client.deployment(slug, revision);
    if (isTerminalDeploymentStatus(detail.status)) return detail;
  }
  return undefined;
}
