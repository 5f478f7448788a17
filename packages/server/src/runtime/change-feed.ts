/**
 * Wakes the streams waiting for something new: a counter bumped each time events or log lines
 * are stored. Streams always read what they send from the store; the feed only says when to look
 * again, so nothing is lost between reading the backlog and waiting for more.
 */
export type ChangeWait = 'changed' | 'timeout' | 'aborted';

export class ChangeFeed {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  /** The number of changes so far: read it before querying, wait with it after. */
  get version(): number {
    return this.count;
  }

  notify(): void {
    this.count += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once a change after `since` happened, `timeoutMs` passed, or `signal` aborted. */
  wait(since: number, signal: AbortSignal, timeoutMs: number): Promise<ChangeWait> {
    if (signal.aborted) return Promise.resolve('aborted');
    if (this.count !== since) return Promise.resolve('changed');
    return new Promise((resolve) => {
      const finish = (result: ChangeWait): void => {
        clearTimeout(timer);
        this.waiters.delete(onChange);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onChange = (): void => finish('changed');
      const onAbort = (): void => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      this.waiters.add(onChange);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
