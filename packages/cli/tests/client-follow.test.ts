// Following deployments: release --wait, logs --follow and status --watch against a real server.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { useApiServer } from '../../server/src/test-support/api-harness.js';
import { runLogs } from '../src/commands/logs.js';
import { runRelease } from '../src/commands/release.js';
import { runStatus } from '../src/commands/status.js';
import { cliFor, emptyDir, watchingIo } from './client-support.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('following a deployment', () => {
  const t = useApiServer();
  const env = () => ({ RAMPART_SERVER_URL: t.server.url, RAMPART_TOKEN: t.adminToken });
  const cli = cliFor(() => emptyDir(temps), env);
  const approve = async (revision: number, stage: string) => {
    const answer = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'approve', revision, stage, step: 'Approve', reason: 'ok' },
    });
    expect(answer.status).toBe(200);
  };

  it('release --wait follows to the end: 0 when it succeeded; logs --follow ends with it', async () => {
    await t.registerWeb();
    const approved = new Set<string>();
    // Approve each stage as soon as --wait prints that it waits, as a person would.
    const io = watchingIo(emptyDir(temps), env(), {
      onOutput: (stdout) => {
        for (const stage of ['staging', 'prod']) {
          if (
            !approved.has(stage) &&
            stdout.includes(`--stage ${stage} --step Approve --reason TEXT`)
          ) {
            approved.add(stage);
            void approve(1, stage);
          }
        }
      },
    });
    const waiting = runRelease(['--wait', '--reason', 'go'], io);
    const logsIo = watchingIo(emptyDir(temps), env());
    await io.until((s) => s.includes('following it'));
    const following = runLogs(
      ['--revision', '1', '--follow'],
      logsIo,
      new AbortController().signal,
    );
    expect(await waiting).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^started web #1 \(commit [0-9a-f]{10}\); following it\n/);
    expect(out).toMatch(/\d\d:\d\d:\d\dZ {2}#1 staging\/Approve {2}approval\.required\n/);
    expect(out).toContain(
      '    approve: rampart approve --pipeline web --revision 1 --stage prod --step Approve --reason TEXT\n',
    );
    expect(out).toMatch(/#1 prod\/Approve {2}operation\.approved {2}by token:admin: ok\n/);
    expect(out.endsWith('web #1 succeeded\n')).toBe(true);
    // The log stream ends by itself once the deployment is over.
    expect(await following).toBe(0);
    expect(logsIo.out()).toContain('staging/Build | building staging\n');
    expect(logsIo.out()).toContain('prod/Build | building prod\n');
    expect(logsIo.err()).toBe('web #1 succeeded\n');
  });

  it('release --wait exits 1 when the deployment fails, saying where and why', async () => {
    await t.registerWeb();
    let rejected = false;
    const io = watchingIo(emptyDir(temps), env(), {
      onOutput: (stdout) => {
        if (!rejected && stdout.includes('--stage staging --step Approve')) {
          rejected = true;
          void t.call('POST', '/api/v1/pipelines/web/operations', {
            body: {
              kind: 'reject',
              revision: 1,
              stage: 'staging',
              step: 'Approve',
              reason: 'broken',
            },
          });
        }
      },
    });
    expect(await runRelease(['--wait'], io)).toBe(1);
    expect(io.out()).toMatch(
      /#1 staging\/Approve {2}operation\.rejected {2}by token:admin: broken\n/,
    );
    expect(io.out().split('\n').at(-2)).toBe(
      'web #1 failed in staging: step "Approve" failed: rejected by token:admin: broken',
    );
    // A finished deployment is not followed: the log stream ends at once.
    expect(await cli('logs', '--revision', '1', '--follow')).toMatchObject({
      code: 1,
      stderr: 'web #1 failed\n',
    });

    // With --json nothing is printed until the end, then the final detail.
    const json = watchingIo(emptyDir(temps), env());
    const waiting = runRelease(['--wait', '--json'], json);
    await t.stream('/api/v1/pipelines/web/events', (m) =>
      m.some((x) => x.data.includes('"approval.required"') && x.data.includes('"revision":2')),
    );
    expect(json.out()).toBe('');
    await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'cancel', revision: 2, reason: 'not today' },
    });
    expect(await waiting).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({
      created: true,
      deployment: {
        revision: 2,
        status: 'cancelled',
        stages: [{ name: 'staging' }, { name: 'prod' }],
      },
    });
  });

  it('status --watch prints one line per event off a terminal, redraws on one, stops when asked', async () => {
    await t.registerWeb();
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    await t.idle();

    const stop = new AbortController();
    const io = watchingIo(emptyDir(temps), env());
    const watching = runStatus(['--watch'], io, stop.signal);
    await io.until((s) => s.includes('STAGE'));
    // The first view; the history before it is not replayed as lines.
    expect(io.out()).not.toContain('deployment.created');
    const stopped = await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'stop', stage: 'prod', reason: 'freeze' },
    });
    expect(stopped.status).toBe(200);
    await io.until((s) => s.includes('operation.stopped'));
    stop.abort();
    expect(await watching).toBe(0);
    expect(io.out()).toMatch(
      /\n\d\d:\d\d:\d\dZ {2}prod {2}operation\.stopped {2}by token:admin: freeze\n/,
    );
    expect(io.out()).not.toContain('\x1b[2J');

    // On a terminal the whole view is drawn again, now without the blocker.
    const redraw = new AbortController();
    const tty = watchingIo(emptyDir(temps), env(), { isTty: true });
    const drawing = runStatus(['--watch', '--pipeline', 'web'], tty, redraw.signal);
    await tty.until((s) => s.includes('(Ctrl-C to stop)'));
    await t.call('POST', '/api/v1/pipelines/web/operations', {
      body: { kind: 'resume', stage: 'prod', reason: 'thaw' },
    });
    const screens = (await tty.until((s) => s.split('\x1b[H\x1b[2J').length > 2)).split(
      '\x1b[H\x1b[2J',
    );
    redraw.abort();
    expect(await drawing).toBe(0);
    expect(screens[1]).toContain('prod blocked by stop (lifted by resume)');
    expect(screens[2]).not.toContain('blocked by stop');
    expect(screens[2]).toMatch(/watching; updated \d\d:\d\d:\d\dZ \(Ctrl-C to stop\)\n$/);
  });

  it('status --watch --json prints one JSON document per change', async () => {
    await t.registerWeb();
    await t.call('POST', '/api/v1/pipelines/web/deployments', { body: {} });
    await t.idle();
    const stop = new AbortController();
    const io = watchingIo(emptyDir(temps), env());
    const watching = runStatus(['--watch', '--json', '--revision', '1'], io, stop.signal);
    await io.until((s) => s.includes('\n'));
    await approve(1, 'staging');
    await io.until((s) => s.includes('"succeeded"'));
    stop.abort();
    expect(await watching).toBe(0);
    const docs = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { deployment: { stages: { status: string }[] } });
    expect(docs[0]?.deployment.stages[0]?.status).toBe('running_steps');
    expect(docs.some((d) => d.deployment.stages[0]?.status === 'succeeded')).toBe(true);
  });
});
