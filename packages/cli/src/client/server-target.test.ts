import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { resolveServerTarget } from './server-target.js';

const ADMIN = 'a'.repeat(40);
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ioIn(files: Record<string, string>, env: Record<string, string> = {}): CliIo {
  const cwd = mkdtempSync(join(tmpdir(), 'rampart-target-'));
  temps.push(cwd);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  return { stdout: () => undefined, stderr: () => undefined, isTty: false, cwd, env };
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('resolveServerTarget', () => {
  it('takes --server over RAMPART_SERVER_URL over the config, and RAMPART_TOKEN over the rest', () => {
    const io = ioIn(
      {
        'rampart.config.yaml': `listen: 10.0.0.5:9000\nadmin_token: ${ADMIN}\n`,
        tok: 'from-file\n',
      },
      { RAMPART_SERVER_URL: 'http://env.example:1/', RAMPART_TOKEN: 'from-env' },
    );
    expect(resolveServerTarget(io, { server: 'https://flag.example/', tokenFile: 'tok' })).toEqual({
      url: 'https://flag.example',
      token: 'from-env',
      tokenSource: 'RAMPART_TOKEN',
      tokenOrigin: 'RAMPART_TOKEN',
    });
    expect(resolveServerTarget(io, {}).url).toBe('http://env.example:1');
  });

  it('falls back to the config: listen (every address → loopback) and admin_token', () => {
    const io = ioIn({ 'rampart.config.yaml': `listen: 0.0.0.0:9000\nadmin_token: ${ADMIN}\n` });
    const target = resolveServerTarget(io, {});
    expect(target).toMatchObject({
      url: 'http://127.0.0.1:9000',
      token: ADMIN,
      tokenSource: 'admin_token',
    });
    expect(target.tokenOrigin).toBe(`admin_token in ${join(io.cwd, 'rampart.config.yaml')}`);
    const any = ioIn({ 'rampart.config.yaml': 'listen: ":9001"\n' }, { RAMPART_TOKEN: 'x' });
    expect(resolveServerTarget(any, {}).url).toBe('http://127.0.0.1:9001');
  });

  it('defaults to 127.0.0.1:8080 and reads the first line of --token-file', () => {
    const io = ioIn({ token: '  rmp_secret  \nsecond line\n' });
    expect(resolveServerTarget(io, { tokenFile: 'token' })).toMatchObject({
      url: 'http://127.0.0.1:8080',
      token: 'rmp_secret',
      tokenSource: '--token-file',
      tokenOrigin: `--token-file ${join(io.cwd, 'token')}`,
    });
  });

  it('refuses a URL that is not http(s), a missing or empty token file, and no token at all', () => {
    const io = ioIn({ empty: '\n' }, { RAMPART_TOKEN: 'x' });
    expect(codeOf(() => resolveServerTarget(io, { server: 'localhost:8080' }))).toBe(
      'CLIENT_SERVER_URL_INVALID',
    );
    expect(codeOf(() => resolveServerTarget(io, { server: 'ftp://host' }))).toBe(
      'CLIENT_SERVER_URL_INVALID',
    );
    const none = ioIn({ empty: '\n' });
    expect(codeOf(() => resolveServerTarget(none, { tokenFile: 'missing' }))).toBe(
      'CLIENT_TOKEN_FILE_UNREADABLE',
    );
    expect(codeOf(() => resolveServerTarget(none, { tokenFile: 'empty' }))).toBe(
      'CLIENT_TOKEN_FILE_UNREADABLE',
    );
    let error: unknown;
    try {
      resolveServerTarget(none, {});
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CLIENT_TOKEN_MISSING' });
    expect((error as { hint: string }).hint).toContain('never accepted as flags');
  });

  it('does not read the config when the environment names both server and token', () => {
    const io = ioIn(
      { 'rampart.config.yaml': 'listen: [broken\n' },
      { RAMPART_SERVER_URL: 'http://127.0.0.1:1', RAMPART_TOKEN: 't' },
    );
    expect(resolveServerTarget(io, {}).url).toBe('http://127.0.0.1:1');
    const needsConfig = ioIn(
      { 'rampart.config.yaml': 'listen: [broken\n' },
      { RAMPART_TOKEN: 't' },
    );
    expect(codeOf(() => resolveServerTarget(needsConfig, {}))).toBe('CONFIG_INVALID');
  });
});
