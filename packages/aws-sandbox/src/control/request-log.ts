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

/** A bounded in-memory request log. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** @param capacity the most entries kept (oldest dropped first). @default 10000 */
  constructor(private readonly capacity = 10_000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** The entries, oldest first, optionally filtered. */
  list(filter: { service?: string; action?: string } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.service === undefined || entry.service === filter.service) &&
        (filter.action === undefined || entry.action === filter.action),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
