/**
 * Where the API client connects and with which token. The address: `--server`, else
 * RAMPART_SERVER_URL, else `listen` of the control-plane config (127.0.0.1:8080 by default). The
 * token: RAMPART_TOKEN, else `--token-file`, else `admin_token` of the config. A token is never
 * a flag: it would land in shell history and in `ps` output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RampartError } from '@rampart/core';
import type { CliIo } from '../cli-io.js';
import { loadConfig, type LoadedConfig } from '../config-file.js';

/** Where the server listens when neither a flag, the environment nor the config says. */
export const DEFAULT_SERVER_LISTEN = '127.0.0.1:8080';

/** Where the token came from, for error hints (never the token itself). */
export type TokenSource = 'RAMPART_TOKEN' | '--token-file' | 'admin_token';

/** A resolved server address and token. */
export interface ServerTarget {
  /** The server's base URL, without a trailing slash. */
  url: string;
  token: string;
  tokenSource: TokenSource;
  /** A description of the token's origin for messages: `RAMPART_TOKEN`, `--token-file FILE`, … */
  tokenOrigin: string;
}

/** What the command line said about the server. */
export interface ServerFlags {
  /** `--server URL`. */
  server?: string;
  /** `--token-file FILE`. */
  tokenFile?: string;
  /** `--config FILE`. */
  config?: string;
}

/** Resolves the address and the token; reads the config only when one of them needs it. */
export function resolveServerTarget(io: CliIo, flags: ServerFlags): ServerTarget {
  let config: LoadedConfig | undefined;
  const configOnce = (): LoadedConfig => (config ??= loadConfig(io, flags.config));
  const url = serverUrl(io, flags, configOnce);
  return { url, ...serverToken(io, flags, configOnce) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function serverUrl(io: CliIo, flags: ServerFlags, config: () => LoadedConfig): string {
  const given = nonEmpty(flags.server) ?? nonEmpty(io.env.RAMPART_SERVER_URL);
  if (given !== undefined) {
    const from = nonEmpty(flags.server) === undefined ? 'RAMPART_SERVER_URL' : '--server';
    let parsed: URL | undefined;
    try {
      parsed = new URL(given);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new RampartError(
        'CLIENT_SERVER_URL_INVALID',
        `${from} "${given}" is not an http:// or https:// URL`,
        { hint: 'Give the address `rampart server` prints, e.g. http://127.0.0.1:8080.' },
      );
    }
    return given.replace(/\/+$/, '');
  }
  const listen = config().config.listen ?? DEFAULT_SERVER_LISTEN;
  return `http://${hostOfListen(listen)}`;
}

/** `listen` as a host:port to connect to: an address bound to every interface is reached on loopback. */
function hostOfListen(listen: string): string {
  const colon = listen.lastIndexOf(':');
  const host = listen.slice(0, colon);
  return host === '' || host === '0.0.0.0' ? `127.0.0.1${listen.slice(colon)}` : listen;
}

function serverToken(
  io: CliIo,
  flags: ServerFlags,
  config: () => LoadedConfig,
): Pick<ServerTarget, 'token' | 'tokenSource' | 'tokenOrigin'> {
  const fromEnv = nonEmpty(io.env.RAMPART_TOKEN);
  if (fromEnv !== undefined)
    return { token: fromEnv, tokenSource: 'RAMPART_TOKEN', tokenOrigin: 'RAMPART_TOKEN' };
  if (flags.tokenFile !== undefined) {
    const file = resolve(io.cwd, flags.tokenFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      throw new RampartError(
        'CLIENT_TOKEN_FILE_UNREADABLE',
        `--token-file ${file} cannot be read (${code})`,
        { hint: 'Check the path and its permissions; the file holds the token on its first line.' },
      );
    }
    const token = nonEmpty(text.split(/\r?\n/)[0]);
    if (token === undefined) {
      throw new RampartError('CLIENT_TOKEN_FILE_UNREADABLE', `--token-file ${file} is empty`, {
        hint: 'Write the token on the first line of the file.',
      });
    }
    return { token, tokenSource: '--token-file', tokenOrigin: `--token-file ${file}` };
  }
  const loaded = config();
  const admin = loaded.config.admin_token;
  if (admin !== undefined) {
    return {
      token: admin,
      tokenSource: 'admin_token',
      tokenOrigin:
        nonEmpty(io.env.RAMPART_ADMIN_TOKEN) !== undefined || loaded.file === undefined
          ? 'RAMPART_ADMIN_TOKEN'
          : `admin_token in ${loaded.file}`,
    };
  }
  throw new RampartError('CLIENT_TOKEN_MISSING', 'no API token to call the server with', {
    hint: 'Set RAMPART_TOKEN or pass --token-file FILE (tokens are never accepted as flags: they would land in shell history). An admin creates tokens with `rampart tokens create`; `rampart server` prints the first one.',
  });
}
