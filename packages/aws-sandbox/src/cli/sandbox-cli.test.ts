import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox.js';
import { runSandboxCli } from './sandbox-cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) },
    out,
    err,
  };
}

/** Runs the CLI until `use` finishes with the ready sandbox. */
async function runWith(argv: string[], use: (sandbox: Sandbox, out: string) => Promise<void>) {
  const { io, out, err } = capture();
  let release: () => void = () => undefined;
  const until = new Promise<void>((resolve) => {
    release = resolve;
  });
  let failure: Error | undefined;
  const code = await runSandboxCli(argv, io, {
    until,
    onReady: (sandbox) => {
      use(sandbox, out.join(''))
        .catch((error: unknown) => {
          failure = error instanceof Error ? error : new Error(String(error));
        })
        .finally(release);
    },
  });
  if (failure !== undefined) throw failure;
  return { code, out: out.join(''), err: err.join('') };
}

describe('rampart sandbox', () => {
  it('prints exactly one JSON line with working credentials and stops cleanly', async () => {
    const { code, out } = await runWith(['--port', '0', '--json'], async (_sandbox, printed) => {
      const ready = JSON.parse(printed) as {
        endpoint: string;
        region: string;
        accounts: {
          id: string;
          name: string;
          role: string;
          credentials: { accessKeyId: string; secretAccessKey: string };
        }[];
      };
      expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.region).toBe('us-east-1');
      expect(ready.accounts.map((a) => a.role)).toEqual([
        'management',
        'cicd',
        'workload',
        'workload',
        'workload',
      ]);
      const cicd = ready.accounts[1];
      const sts = new STSClient({
        endpoint: ready.endpoint,
        region: ready.region,
        credentials: cicd?.credentials,
        maxAttempts: 1,
      });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(cicd?.id);
    });
    expect(code).toBe(0);
    expect(out.split('\n').filter((line) => line !== '')).toHaveLength(1);
  });

  it('prints ready-to-paste export lines per account', async () => {
    const { code, out } = await runWith(['--port', '0'], () => Promise.resolve());
    expect(code).toBe(0);
    expect(out).toContain('# account prod (555555555555, workload)');
    expect(out).toMatch(
      /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_ACCESS_KEY_ID=AKIA[A-Z2-7]{16} AWS_SECRET_ACCESS_KEY=\S{40} AWS_REGION=us-east-1$/m,
    );
    expect(out.match(/^export /gm)).toHaveLength(5);
  });

  it('rejects bad flags with exit code 2', async () => {
    for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--frobnicate']]) {
      const { io, err } = capture();
      expect(await runSandboxCli(argv, io)).toBe(2);
      expect(err.join('')).toContain('usage: rampart sandbox');
    }
  });
});
