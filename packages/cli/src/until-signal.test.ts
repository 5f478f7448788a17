import { afterEach, describe, expect, it } from 'vitest';
import { untilSignal } from './until-signal.js';

// process.emit runs the listeners without delivering a real signal to the test worker.
const emit = (signal: NodeJS.Signals): boolean => process.emit(signal as 'SIGINT', signal);

describe('untilSignal', () => {
  const before = {
    SIGINT: process.listenerCount('SIGINT'),
    SIGTERM: process.listenerCount('SIGTERM'),
  };
  afterEach(() => {
    expect(process.listenerCount('SIGINT')).toBe(before.SIGINT);
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'resolves with %s and removes both listeners',
    async (signal) => {
      const stopped = untilSignal();
      expect(process.listenerCount('SIGINT')).toBe(before.SIGINT + 1);
      expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM + 1);
      emit(signal);
      await expect(stopped).resolves.toBe(signal);
    },
  );

  it('stays pending until a signal comes', async () => {
    let settled = false;
    const stopped = untilSignal().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    emit('SIGTERM');
    await stopped;
    expect(settled).toBe(true);
  });
});
