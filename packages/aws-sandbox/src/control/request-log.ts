// The log of every request the sandbox served, readable through the control API.

/** One served request. */
export interface RequestLogEntry {
  /** Sandbox-clock time the request arrived (ISO). */
  time: string;
  requestId: string;
  service: string;
  action: string;
  /** The caller ARN (`anonymous` for unsigned requests, empty when authentication failed). */
  callerArn: string;
  /** The caller's account (empty when unknown). */
  accountId: string;
  region: string;
  status: number;
  /** The AWS error code, when the request failed. */
  errorCode?: string;
  /** Real time spent serving it, in milliseconds. */
  durationMs: number;
}

/**
 * A bounded in-memory request log: a ring buffer, so adding an entry costs the same whether the
 * log is empty or full (the dispatcher adds one per request).
 */
export class RequestLog {
  private readonly slots: (RequestLogEntry | undefined)[];
  /** Where the next entry goes. */
  private next = 0;
  private size = 0;

  /** @param capacity the most entries kept (oldest dropped first). @default 10000 */
  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`request log capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<RequestLogEntry | undefined>(capacity).fill(undefined);
  }

  add(entry: RequestLogEntry): void {
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
  }

  /** The entries, oldest first, optionally filtered. */
  list(filter: { service?: string; action?: string } = {}): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    const oldest = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i += 1) {
      const entry = this.slots[(oldest + i) % this.capacity];
      if (
        entry !== undefined &&
        (filter.service === undefined || entry.service === filter.service) &&
        (filter.action === undefined || entry.action === filter.action)
      ) {
        out.push(entry);
      }
    }
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
