import { describe, expect, it } from 'vitest';
import { parseListenAddress, urlHost } from './listen-address.js';

describe('parseListenAddress', () => {
  it('reads host:port; an empty host binds every address', () => {
    expect(parseListenAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListenAddress(':443')).toEqual({ host: undefined, port: 443 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
  });

  it('refuses anything else', () => {
    for (const bad of ['8080', 'host:', 'host:99999', 'host:80:80', 'host:http']) {
      expect(() => parseListenAddress(bad)).toThrow(`listen address "${bad}" is not host:port`);
    }
  });

  it('URLs name loopback for a server bound to every address', () => {
    expect(urlHost(undefined)).toBe('127.0.0.1');
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
    expect(urlHost('rampart.internal')).toBe('rampart.internal');
  });
});
