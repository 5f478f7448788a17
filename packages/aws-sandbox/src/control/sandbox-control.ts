// Operations on a running sandbox: accounts, reset, snapshot/restore, faults, request log.
import type { Clock } from '../clock.js';
import type { SandboxRuntime } from '../framework/runtime.js';
import {
  createDistribution,
  type CreatedDistribution,
  type NewDistribution,
} from '../services/cloudfront/cloudfront-state.js';
import { eventDeliveries, type DeliveryAttempt } from '../services/events/delivery-queue.js';
import {
  addAccount,
  adminCredentials,
  createInitialState,
  type AccountSpec,
} from '../state/accounts.js';
import type { HealthSubject, UnhealthyMark } from '../state/health-model.js';
import type { AccountRole, SandboxState } from '../state/sandbox-state.js';
import type { Fault, FaultSpec } from './faults.js';
import type { RequestLogEntry } from './request-log.js';

/** An account with its admin credentials. */
export interface SandboxAccount {
  id: string;
  name: string;
  role: AccountRole;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A serialized sandbox state. */
export interface SandboxSnapshot {
  format: 'rampart-aws-sandbox-snapshot';
  state: SandboxState;
}

/** What `control.createAccount` takes. */
export interface NewAccount {
  /** @default the next free id after the existing ones */
  id?: string;
  name: string;
  /** @default 'workload' */
  role?: Exclude<AccountRole, 'management'>;
  /** @default `<name>@sandbox.rampart.invalid` */
  email?: string;
}

/** Names one version for the health model: an image digest or a Lambda code hash. */
export type HealthTarget = { imageDigest: string } | { codeSha256: string };

/** The control surface of a running sandbox (also served over HTTP under `/_sandbox/`). */
export interface SandboxControl {
  accounts(): SandboxAccount[];
  createAccount(account: NewAccount): SandboxAccount;
  /** Back to the accounts the sandbox started with; clears faults, the request log and caches. */
  reset(): void;
  /** A deep, JSON-serializable copy of the whole state. */
  snapshot(): SandboxSnapshot;
  /** Replaces the state with a snapshot (faults and the log are kept). */
  restore(snapshot: SandboxSnapshot): void;
  injectFault(spec: FaultSpec): Fault;
  faults(): Fault[];
  /** Removes one fault, or all. */
  clearFaults(id?: string): void;
  requestLog(filter?: { service?: string; action?: string }): RequestLogEntry[];
  clearRequestLog(): void;
  /**
   * Marks a version unhealthy: ECS services running the image digest, and Lambda aliases or
   * versions running the code hash, emit error metrics from now on (idempotent).
   */
  markUnhealthy(target: HealthTarget): UnhealthyMark;
  /** Clears a mark (no-op when absent). */
  markHealthy(target: HealthTarget): void;
  /** Every version currently marked unhealthy. */
  unhealthy(): UnhealthyMark[];
  /**
   * Runs the background work due on the sandbox clock now (alarm evaluation, event delivery,
   * rollouts). Tests call it after advancing a `ManualClock`; a running sandbox also ticks
   * periodically.
   */
  tick(): Promise<void>;
  /**
   * Every EventBridge delivery attempt to an API destination, oldest first (at most 1,000):
   * outcome, HTTP status or error, and the next retry time. Call `tick()` first to let attempts
   * in flight finish.
   */
  eventDeliveries(): DeliveryAttempt[];
  /**
   * Creates a CloudFront distribution in an account (the sandbox serves no CreateDistribution
   * API); CreateInvalidation, GetDistribution and the rest then work on it.
   */
  createDistribution(distribution: NewDistribution): CreatedDistribution;
}

function healthSubject(target: HealthTarget): { subject: HealthSubject; value: string } {
  if ('imageDigest' in target && typeof target.imageDigest === 'string') {
    if (!/^sha256:[0-9a-f]{64}$/.test(target.imageDigest)) {
      throw new Error(
        `imageDigest must look like sha256:<64 hex digits>, got ${target.imageDigest}`,
      );
    }
    return { subject: 'image-digest', value: target.imageDigest };
  }
  if ('codeSha256' in target && typeof target.codeSha256 === 'string' && target.codeSha256 !== '') {
    return { subject: 'code-sha256', value: target.codeSha256 };
  }
  throw new Error('a health target needs "imageDigest" (sha256:…) or "codeSha256"');
}

/** Creates the control surface over a runtime. */
export function createControl(
  runtime: SandboxRuntime,
  initial: readonly AccountSpec[],
  clock: Clock,
): SandboxControl {
  const describe = (id: string): SandboxAccount => {
    const account = runtime.state.accounts[id];
    if (!account) throw new Error(`unknown account ${id}`);
    return {
      id,
      name: account.name,
      role: account.role,
      credentials: adminCredentials(runtime.state, id),
    };
  };
  return {
    accounts: () => Object.keys(runtime.state.accounts).map(describe),
    createAccount(account) {
      const ids = Object.keys(runtime.state.accounts).map(Number);
      const id = account.id ?? String(Math.max(100_000_000_000, ...ids) + 1).padStart(12, '0');
      addAccount(
        runtime.state,
        {
          id,
          name: account.name,
          role: account.role ?? 'workload',
          ...(account.email ? { email: account.email } : {}),
        },
        clock,
      );
      return describe(id);
    },
    reset() {
      runtime.state = createInitialState(initial, clock);
      runtime.faults.clear();
      runtime.log.clear();
      runtime.caches.clear();
    },
    snapshot: () => ({
      format: 'rampart-aws-sandbox-snapshot',
      state: structuredClone(runtime.state),
    }),
    restore(snapshot) {
      if (
        snapshot.format !== 'rampart-aws-sandbox-snapshot' ||
        snapshot.state.schemaVersion !== 1
      ) {
        throw new Error(
          'not a sandbox snapshot (expected format "rampart-aws-sandbox-snapshot", schemaVersion 1)',
        );
      }
      runtime.state = structuredClone(snapshot.state);
      // Snapshots taken before the health model existed restore with no marks.
      runtime.state.health ??= { unhealthy: [] };
      runtime.caches.clear();
    },
    injectFault: (spec) => runtime.faults.inject(spec),
    faults: () => runtime.faults.list(),
    clearFaults: (id) => runtime.faults.clear(id),
    requestLog: (filter) => runtime.log.list(filter),
    clearRequestLog: () => runtime.log.clear(),
    markUnhealthy(target) {
      const { subject, value } = healthSubject(target);
      const marks = runtime.state.health.unhealthy;
      const existing = marks.find((m) => m.subject === subject && m.value === value);
      if (existing) return { ...existing };
      const mark = { subject, value, since: clock.now().toISOString() };
      marks.push(mark);
      return { ...mark };
    },
    markHealthy(target) {
      const { subject, value } = healthSubject(target);
      runtime.state.health.unhealthy = runtime.state.health.unhealthy.filter(
        (m) => !(m.subject === subject && m.value === value),
      );
    },
    unhealthy: () => runtime.state.health.unhealthy.map((m) => ({ ...m })),
    tick: () => runtime.tick(),
    eventDeliveries: () => eventDeliveries(runtime),
    createDistribution: (distribution) => createDistribution(runtime, distribution),
  };
}
