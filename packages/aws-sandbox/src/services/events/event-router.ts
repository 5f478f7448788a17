// Routing: an event on an account's default bus is matched against that bus's enabled rules, and
// each target of a matching rule gets a delivery. First attempts start at once and are not
// awaited (publishers never wait for HTTP); retries run on ticks.
import type { SandboxRuntime } from '../../framework/runtime.js';
import { deliveryQueue } from './delivery-queue.js';
import type { EventEnvelope } from './event-envelope.js';
import { attemptDelivery } from './event-delivery.js';
import { compileEventPattern, matchesEventPattern } from './event-pattern.js';
import { EVENTS_SERVICE, parseEventsArn, ruleArn, type EventsState } from './events-state.js';
import { targetInput } from './input-transform.js';

/** Matches an event against its bus's rules and starts the deliveries. Returns at once. */
export function routeEvent(runtime: SandboxRuntime, envelope: EventEnvelope): void {
  const state = runtime.state.accounts[envelope.account]?.services[EVENTS_SERVICE]?.[
    envelope.region
  ] as EventsState | undefined;
  if (!state) return;
  const queue = deliveryQueue(runtime);
  const receivedAt = runtime.clock.now();
  const where = { accountId: envelope.account, region: envelope.region };
  for (const rule of Object.values(state.rules)) {
    if (rule.state === 'DISABLED' || rule.eventPattern === undefined) continue;
    if (!matchesEventPattern(compileEventPattern(rule.eventPattern), envelope)) continue;
    const identity = { name: rule.name, arn: ruleArn(where, rule.name) };
    for (const target of rule.targets) {
      const base = {
        eventId: envelope.id,
        ruleArn: identity.arn,
        targetId: target.Id,
        targetArn: target.Arn,
        attempt: 1,
        time: receivedAt.toISOString(),
      };
      if (parseEventsArn(target.Arn)?.kind !== 'api-destination') {
        queue.record({
          ...base,
          outcome: 'not-attempted',
          error: 'the sandbox delivers events to API destinations only',
        });
        continue;
      }
      queue.track(
        attemptDelivery(runtime, queue, {
          eventId: envelope.id,
          ...where,
          rule: identity,
          target,
          envelope,
          body: targetInput(target, envelope, identity, receivedAt.toISOString()),
          attempt: 1,
          receivedAt: receivedAt.getTime(),
          dueAt: receivedAt.getTime(),
        }),
      );
    }
  }
}

/**
 * The tick's share of delivery: waits for attempts in flight (so a tick is a point where every
 * started attempt has an outcome), then runs the retries due on the sandbox clock and waits for
 * them too.
 */
export async function runDueDeliveries(runtime: SandboxRuntime): Promise<void> {
  const queue = deliveryQueue(runtime);
  await queue.settle();
  for (const delivery of queue.takeDue(runtime.clock.now().getTime())) {
    queue.track(attemptDelivery(runtime, queue, delivery));
  }
  await queue.settle();
}
