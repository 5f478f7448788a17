/** The `listen` setting: `host:port`, where an empty host means every address. */
import { RampartError } from '@rampart/core';

/** Where the server listens when nothing is configured. */
export const DEFAULT_LISTEN = '127.0.0.1:8080';

/** A parsed listen address. */
export interface ListenAddress {
  /** The address to bind; undefined binds every address. */
  host: string | undefined;
  /** 0 picks a free port. */
  port: number;
}

/** Parses `host:port` (`127.0.0.1:8080`, `:8080`, `localhost:0`); CONFIG_INVALID otherwise. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^([^:]*):(\d{1,5})$/.exec(text);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || port > 65535) {
    throw new RampartError('CONFIG_INVALID', `listen address "${text}" is not host:port`, {
      hint: 'Write host:port, e.g. 127.0.0.1:8080, or :8080 for every address.',
    });
  }
  const host = match[1] ?? '';
  return { host: host === '' ? undefined : host, port };
}

/** The host to put in a URL for a bound address: loopback when bound to every address. */
export function urlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
