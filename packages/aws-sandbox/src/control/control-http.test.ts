import { describe, expect, it } from 'vitest';
import { isLoopback } from './control-http.js';

describe('isLoopback', () => {
  it('accepts loopback peers only', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(address)).toBe(true);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.127', '', 'fe80::1']) {
      expect(isLoopback(address)).toBe(false);
    }
  });
});
