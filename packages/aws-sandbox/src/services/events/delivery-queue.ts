// Per-runtime delivery machinery: deliveries in flight, retries waiting for their time on the
// sandbox clock, OAuth tokens, and the record of every attempt (for tests and diagnosis). It is
// machinery, not state: it lives in `runtime.caches`, so reset and restore drop pending retries.
import type { SandboxRuntime } from '../../framework/runtime.js';
import type { EventEnvelope } from './event-envelope.js';
import type { TargetRecord } from './events-state.js';
import type { RuleIdentity } from './input-transform.js';

/** What became of one delivery attempt. */
export type DeliveryOutcome =
  /** The endpoint answered 2xx. */
  | 'delivered'
  /** It failed in a retryable way; another attempt is scheduled at `nextAttemptAt`. */
  | 'retry-scheduled'
  /** It failed for good: not retryable, or retries or event age exhausted. */
  | 'failed'
  /** The target is not an API destination: the sandbox does not deliver to it. */
  | 'not-attempted';

/** One attempt to deliver one event to one target. */
export interface DeliveryAttempt {
  eventId: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** When the attempt started, on the sandbox clock (ISO). */
  time: string;
  method?: string;
  url?: string;
  /** The HTTP status, when the endpoint answered. */
  status?: number;
  /** Why the attempt failed without a status (network error, timeout, missing destination). */
  error?: string;
  outcome: DeliveryOutcome;
  /** When the next attempt is due (sandbox clock ISO), for `retry-scheduled`. */
  nextAttemptAt?: string;
  /** The target's dead-letter queue, for `failed` (recorded; the sandbox has no SQS). */
  deadLetterArn?: string;
}

/** A delivery waiting for its next attempt. */
export interface PendingDelivery {
  eventId: string;
  accountId: string;
  region: string;
  rule: RuleIdentity;
  target: TargetRecord;
  envelope: EventEnvelope;
  /** The rendered target input. */
  body: string;
  /** The number of the next attempt (1 for the first). */
  attempt: number;
  /** When EventBridge received the event, epoch ms on the sandbox clock (for the age limit). */
  receivedAt: number;
  /** When the next attempt is due, epoch ms on the sandbox clock. */
  dueAt: number;
}

/** Kept attempts: enough for tests and diagnosis, bounded for long-running sandboxes. */
const MAX_RECORDED_ATTEMPTS = 1000;
const CACHE_KEY = 'events:delivery-queue';

/** The delivery machinery of one runtime. */
export class DeliveryQueue {
  private readonly recorded: DeliveryAttempt[] = [];
  private pending: PendingDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** OAuth access tokens by connection (ARN + last modification). */
  readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  /** Records one attempt. */
  record(attempt: DeliveryAttempt): void {
    this.recorded.push(attempt);
    if (this.recorded.length > MAX_RECORDED_ATTEMPTS) this.recorded.shift();
  }

  /** Every recorded attempt, oldest first. */
  attempts(): DeliveryAttempt[] {
    return this.recorded.map((attempt) => ({ ...attempt }));
  }

  /** Schedules a retry. */
  schedule(delivery: PendingDelivery): void {
    this.pending.push(delivery);
  }

  /** Removes and returns the deliveries due at `now`. */
  takeDue(now: number): PendingDelivery[] {
    const due = this.pending.filter((delivery) => delivery.dueAt <= now);
    this.pending = this.pending.filter((delivery) => delivery.dueAt > now);
    return due;
  }

  /** How many retries wait. */
  pendingCount(): number {
    return this.pending.length;
  }

  /** Tracks an attempt in flight (never rejects: attempts record their own failures). */
  track(attempt: Promise<void>): void {
    const tracked = attempt.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /** Resolves once no attempt is in flight. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/** The delivery machinery of a runtime (created on first use). */
export function deliveryQueue(runtime: SandboxRuntime): DeliveryQueue {
  let queue = runtime.caches.get(CACHE_KEY);
  if (!(queue instanceof DeliveryQueue)) {
    queue = new DeliveryQueue();
    runtime.caches.set(CACHE_KEY, queue);
  }
  return queue as DeliveryQueue;
}

/** Every delivery attempt recorded in a runtime, oldest first (the control API serves it). */
export function eventDeliveries(runtime: SandboxRuntime): DeliveryAttempt[] {
  return deliveryQueue(runtime).attempts();
}
