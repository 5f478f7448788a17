// Injected failures per service and action, for testing retries against the sandbox.

/** What an injected fault does. */
export type FaultKind = 'throttle' | 'internal-error' | 'unavailable' | 'latency';

/** A fault to inject. */
export interface FaultSpec {
  /** The service signing name (`sts`, `iam`, `s3`, …). */
  service: string;
  /** The action name (`AssumeRole`); `*` matches every action. @default '*' */
  action?: string;
  /** Only requests acting in this account. @default every account */
  accountId?: string;
  kind: FaultKind;
  /** Added latency for `latency` faults, in real milliseconds. @default 0 */
  latencyMs?: number;
  /** How many matching requests fail; `'always'` keeps the fault until cleared. @default 1 */
  times?: number | 'always';
}

/** An injected fault with its id and remaining count. */
export interface Fault extends Required<Omit<FaultSpec, 'accountId'>> {
  id: string;
  accountId?: string;
  /** How many requests it has hit. */
  hits: number;
}

/** Holds the injected faults and hands them out to matching requests. */
export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Adds a fault; returns its id. */
  inject(spec: FaultSpec): Fault {
    const times = spec.times ?? 1;
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) {
      throw new Error(`fault "times" must be a positive integer or "always", got ${String(times)}`);
    }
    const fault: Fault = {
      id: `fault-${this.nextId++}`,
      service: spec.service,
      action: spec.action ?? '*',
      kind: spec.kind,
      latencyMs: spec.latencyMs ?? 0,
      times,
      hits: 0,
      ...(spec.accountId !== undefined ? { accountId: spec.accountId } : {}),
    };
    this.faults.push(fault);
    return fault;
  }

  /** The active faults. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes one fault (by id) or all of them. */
  clear(id?: string): void {
    this.faults = id === undefined ? [] : this.faults.filter((fault) => fault.id !== id);
  }

  /** The faults that apply to a request, consuming one use of each. */
  take(service: string, action: string, accountId: string): Fault[] {
    const hit: Fault[] = [];
    for (const fault of this.faults) {
      if (fault.service !== service) continue;
      if (fault.action !== '*' && fault.action !== action) continue;
      if (fault.accountId !== undefined && fault.accountId !== accountId) continue;
      fault.hits += 1;
      hit.push({ ...fault });
    }
    this.faults = this.faults.filter(
      (fault) => fault.times === 'always' || fault.hits < fault.times,
    );
    return hit;
  }
}
