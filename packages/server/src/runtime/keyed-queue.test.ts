import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.js';

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, even after a failure; other keys do not wait', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('web', async () => {
      await gate;
      order.push('web-1');
      throw new Error('boom');
    });
    const second = queue.run('web', () => {
      order.push('web-2');
      return Promise.resolve(2);
    });
    const other = await queue.run('api', () => {
      order.push('api-1');
      return Promise.resolve('api');
    });
    expect(other).toBe('api');
    release();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['api-1', 'web-1', 'web-2']);
  });
});
