import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../bin/rampart.js');

interface ReadyLine {
  endpoint: string;
  region: string;
  accounts: {
    id: string;
    name: string;
    role: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  }[];
}

describe('rampart sandbox (a real process)', () => {
  it('prints exactly one JSON line with the real endpoint, serves it, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const ready = JSON.parse(first) as ReadyLine;
    expect(Object.keys(ready)).toEqual(['endpoint', 'region', 'accounts']);
    expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.endpoint).not.toMatch(/:0$/);
    expect(ready.region).toBe('us-east-1');
    expect(ready.accounts.map((a) => a.role).sort()).toEqual([
      'cicd',
      'management',
      'workload',
      'workload',
      'workload',
    ]);
    for (const a of ready.accounts) {
      expect(a.id).toMatch(/^\d{12}$/);
      expect(a.credentials.accessKeyId).not.toBe('');
      expect(a.credentials.secretAccessKey).not.toBe('');
    }
    // An unsigned AWS call is refused the way AWS refuses it: the server is really there.
    const response = await fetch(`${ready.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
