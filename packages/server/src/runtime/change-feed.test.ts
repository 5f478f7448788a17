import { describe, expect, it } from 'vitest';
import { ChangeFeed } from './change-feed.js';

describe('ChangeFeed', () => {
  it('a change after the version read wakes the waiter, even one made before it waits', async () => {
    const feed = new ChangeFeed();
    const never = new AbortController().signal;
    const seen = feed.version;
    feed.notify();
    await expect(feed.wait(seen, never, 60_000)).resolves.toBe('changed');
    const waiting = feed.wait(feed.version, never, 60_000);
    feed.notify();
    await expect(waiting).resolves.toBe('changed');
  });

  it('ends on abort and on timeout', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const waiting = feed.wait(feed.version, controller.signal, 60_000);
    controller.abort();
    await expect(waiting).resolves.toBe('aborted');
    await expect(feed.wait(feed.version, new AbortController().signal, 1)).resolves.toBe('timeout');
  });
});
