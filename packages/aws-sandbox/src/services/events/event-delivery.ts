// One delivery attempt to an API destination, and what follows: success, a retry scheduled on
// the sandbox clock, or a final failure. Every attempt is recorded in the delivery queue.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { apiDestinationRequest, type OutgoingRequest } from './api-destination-request.js';
import type { DeliveryAttempt, DeliveryQueue, PendingDelivery } from './delivery-queue.js';
import {
  connectionArn,
  EVENTS_SERVICE,
  parseEventsArn,
  type ConnectionRecord,
  type EventsState,
} from './events-state.js';
import { HTTP_TIMEOUT_MS, oauthToken } from './oauth-token.js';
import { ownValue } from '../../state/own-record.js';
import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  isRetryableStatus,
  retryDelayMs,
} from './retry-policy.js';

/** A failure that retrying cannot fix (the destination or connection is gone). */
class PermanentFailure extends Error {}

function stateAt(
  runtime: SandboxRuntime,
  accountId: string,
  region: string,
): EventsState | undefined {
  return runtime.state.accounts[accountId]?.services[EVENTS_SERVICE]?.[region] as
    EventsState | undefined;
}

async function authorizationHeaders(
  runtime: SandboxRuntime,
  queue: DeliveryQueue,
  connection: ConnectionRecord,
  arn: string,
): Promise<Record<string, string>> {
  const { auth } = connection;
  if (auth.apiKey) return { [auth.apiKey.name]: auth.apiKey.value };
  if (auth.basic) {
    const pair = `${auth.basic.username}:${auth.basic.password}`;
    return { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
  }
  if (auth.oauth) {
    const key = `${arn}@${connection.lastModifiedTime}`;
    return { authorization: `Bearer ${await oauthToken(runtime, queue, key, auth.oauth)}` };
  }
  return {};
}

/** Resolves the destination and connection as they are now, and builds the request. */
async function buildRequest(
  runtime: SandboxRuntime,
  queue: DeliveryQueue,
  delivery: PendingDelivery,
): Promise<OutgoingRequest> {
  const target = parseEventsArn(delivery.target.Arn);
  const state = target ? stateAt(runtime, target.accountId, target.region) : undefined;
  const destination = target && state ? ownValue(state.apiDestinations, target.name) : undefined;
  if (!target || !state || !destination || destination.uuid !== target.uuid) {
    throw new PermanentFailure(`API destination ${delivery.target.Arn} does not exist`);
  }
  const linked = parseEventsArn(destination.connectionArn);
  const connection = linked ? ownValue(state.connections, linked.name) : undefined;
  if (!linked || !connection || connection.uuid !== linked.uuid) {
    throw new PermanentFailure(`connection ${destination.connectionArn} does not exist`);
  }
  const arn = connectionArn(linked, connection.name, connection.uuid);
  const authorization = await authorizationHeaders(runtime, queue, connection, arn);
  return apiDestinationRequest(
    destination,
    connection.auth.invocation,
    delivery.target,
    delivery.body,
    authorization,
  );
}

/** Sends one attempt; resolves with the status, or throws on network errors and timeouts. */
async function send(runtime: SandboxRuntime, request: OutgoingRequest): Promise<number> {
  const response = await runtime.fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  // Read the body so the connection is released for the next delivery.
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
}

/**
 * Makes one attempt of a delivery and records it; schedules the next attempt when the failure
 * is retryable and the target's RetryPolicy allows. Never throws.
 */
export async function attemptDelivery(
  runtime: SandboxRuntime,
  queue: DeliveryQueue,
  delivery: PendingDelivery,
): Promise<void> {
  const started = runtime.clock.now().getTime();
  const record: DeliveryAttempt = {
    eventId: delivery.eventId,
    ruleArn: delivery.rule.arn,
    targetId: delivery.target.Id,
    targetArn: delivery.target.Arn,
    attempt: delivery.attempt,
    time: new Date(started).toISOString(),
    outcome: 'failed',
  };
  let retryable: boolean;
  try {
    const request = await buildRequest(runtime, queue, delivery);
    record.method = request.method;
    record.url = request.url;
    const status = await send(runtime, request);
    record.status = status;
    if (status >= 200 && status < 300) {
      record.outcome = 'delivered';
      queue.record(record);
      return;
    }
    retryable = isRetryableStatus(status);
  } catch (error: unknown) {
    record.error = error instanceof Error ? error.message : String(error);
    retryable = !(error instanceof PermanentFailure);
  }
  const policy = delivery.target.RetryPolicy;
  const maxRetries = policy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
  const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
  const now = runtime.clock.now().getTime();
  const dueAt = now + retryDelayMs(delivery.attempt);
  if (retryable && delivery.attempt <= maxRetries && dueAt - delivery.receivedAt <= maxAgeMs) {
    record.outcome = 'retry-scheduled';
    record.nextAttemptAt = new Date(dueAt).toISOString();
    queue.schedule({ ...delivery, attempt: delivery.attempt + 1, dueAt });
  } else {
    const deadLetter = delivery.target.DeadLetterConfig?.Arn;
    if (deadLetter !== undefined) record.deadLetterArn = deadLetter;
  }
  queue.record(record);
}
