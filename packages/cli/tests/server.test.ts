import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/index.js';
import { runServer } from '../src/commands/server.js';
import { runCli } from './run-cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('rampart server', () => {
  it('prints its URL and issuer, serves the issuer documents, and stops when asked', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rampart-cli-server-'));
    temps.push(cwd);
    writeFileSync(
      join(cwd, 'rampart.config.yaml'),
      'issuer_url: https://rampart.acme.example/ci\n',
    );
    let stdout = '';
    let stderr = '';
    let started: (() => void) | undefined;
    const printed = new Promise<void>((resolve) => (started = resolve));
    let stop: (() => void) | undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('issuer: ')) started?.();
      },
      stderr: (t) => {
        stderr += t;
      },
      isTty: false,
      cwd,
      env: {},
    };
    const exit = runServer(['--listen', '127.0.0.1:0'], io, () => stopped);
    await printed;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
    expect(stdout).toContain('issuer: https://rampart.acme.example/ci\n');
    expect(stderr).toContain(`generated a master key in ${join(cwd, '.rampart', 'master.key')}`);
    // The first start creates an admin API token and shows it once.
    const secret = /^ {2}(rmp_\S+)$/m.exec(stderr)?.[1] ?? '';
    expect(secret).toMatch(/^rmp_/);
    const whoami = await fetch(`${url}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(whoami.status).toBe(200);
    const response = await fetch(`${url}/ci/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({ issuer: 'https://rampart.acme.example/ci' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    stop?.();
    expect(await exit).toBe(0);
    expect(stdout.endsWith('stopped\n')).toBe(true);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('a bad --listen is a config error; an unknown flag is a usage error', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rampart-cli-server-'));
    temps.push(cwd);
    const bad = await runCli(['server', '--listen', 'nowhere'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error CONFIG_INVALID: listen address "nowhere" is not host:port');
    const usage = await runCli(['server', '--port', '1'], { cwd });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: rampart server');
  });
});
