import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoEvent } from '@rampart/demo';
import { describe, expect, it } from 'vitest';
import { DemoRenderer, renderExplore, renderSummary } from '../src/commands/demo-render.js';
import { runCli } from './run-cli.js';

const bin = join(import.meta.dirname, '..', 'bin', 'rampart.js');

/** Runs `rampart` as a real process; resolves with its exit code and output. */
function rampart(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rampart demo', () => {
  it('--exit --json runs the whole scenario as a real process and exits 0', async () => {
    const { code, stdout, stderr } = await rampart([
      'demo',
      '--exit',
      '--json',
      '--port',
      '0',
      '--speed',
      '150',
    ]);
    expect(stderr).not.toMatch(/^error \w+:/m);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      ok: boolean;
      speed: number;
      checks: { id: string; ok: boolean }[];
      server?: unknown;
    };
    expect(result.ok).toBe(true);
    expect(result.speed).toBe(150);
    expect(result.checks.map((c) => [c.id, c.ok])).toEqual([
      ['revision-1-everywhere', true],
      ['revision-2-staging', true],
      ['alarm-during-bake', true],
      ['prod-us-rolled-back', true],
      ['prod-eu-untouched', true],
      ['stages-blocked', true],
      ['artifacts-built-once', true],
      ['artifacts-mirrored', true],
      ['steps-used-mirrors', true],
    ]);
    // Everything was stopped: nothing left to point at.
    expect(result.server).toBeUndefined();
    // Progress went to stderr, one line per step of the story.
    expect(stderr).toMatch(/^\[ *[\d.]+s\] release revision 2: commit [0-9a-f]{7} "web v2"$/m);
    expect(stderr).toMatch(/r2 prod-us rolled back to revision 1$/m);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  }, 180_000);

  it('explains itself and refuses bad flags before starting anything', async () => {
    const help = await runCli(['demo', '--help'], { cwd: tmpdir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rampart demo [--exit] [--port N] [--speed N] [--json]');
    const cases: [string[], string][] = [
      [['--speed', '0'], '--speed must be a number from 1 to 600, not "0"'],
      [['--speed', 'fast'], '--speed must be a number from 1 to 600, not "fast"'],
      [['--port', '70000'], '--port must be an integer from 0 to 65535, not "70000"'],
      [['--port', '80.5'], '--port must be an integer from 0 to 65535'],
      [['--verbose'], "unknown option '--verbose'"],
      [['now'], 'unexpected argument "now"'],
    ];
    for (const [args, message] of cases) {
      const out = await runCli(['demo', ...args], { cwd: tmpdir() });
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stdout).toBe('');
    }
  });
});

describe('what rampart demo prints', () => {
  const timing = { elapsedMs: 12_345, at: '2026-03-01T10:20:00.000Z' };
  const engine = (event: Record<string, unknown>, bakeEndsAt?: string): DemoEvent => ({
    type: 'engine-event',
    event: {
      seq: 1,
      at: '2026-03-01T10:20:00.000Z',
      pipeline: 'web',
      actor: 'system',
      type: '',
      ...event,
    },
    ...(bakeEndsAt === undefined ? {} : { bakeEndsAt }),
    ...timing,
  });

  it('one line per meaningful event, with the real seconds and demo durations', () => {
    const renderer = new DemoRenderer(60);
    const started = engine(
      {
        type: 'step.started',
        deploymentId: 'web:2',
        revision: 2,
        stage: 'prod-us',
        step: 'Bake',
        data: { type: 'RAMPART:APPROVAL:BAKE' },
      },
      '2026-03-01T10:30:00.000Z',
    );
    expect(renderer.line(started)).toBe(
      "[ 12.3s] r2 prod-us baking 10 demo minutes (10 s here), watching the stage's alarm\n",
    );
    // The bake's own success says nothing the stage's does not.
    expect(
      renderer.line(
        engine({
          type: 'step.succeeded',
          deploymentId: 'web:2',
          revision: 2,
          stage: 'prod-us',
          step: 'Bake',
          data: { outputs: {} },
        }),
      ),
    ).toBeUndefined();
    expect(
      renderer.line(
        engine({
          type: 'step.succeeded',
          deploymentId: 'web:2',
          revision: 2,
          stage: 'prod-us',
          step: 'Deploy web',
          data: {
            outputs: {
              task_definition_arn: 'arn:aws:ecs:us-east-1:555555555555:task-definition/web:3',
            },
          },
        }),
      ),
    ).toBe('[ 12.3s] r2 prod-us Deploy web succeeded: service web runs web:3\n');
    expect(
      renderer.line(
        engine({
          type: 'alarm.state_changed',
          stage: 'prod-us',
          data: { alarm: 'web-5xx', from: 'OK', to: 'ALARM' },
        }),
      ),
    ).toBe('[ 12.3s]    prod-us alarm web-5xx: OK -> ALARM\n');
    expect(
      renderer.line(
        engine({
          type: 'step.failed',
          revision: 1,
          stage: 'staging',
          step: 'Smoke test',
          data: { code: 'command-failed', message: 'exit code 1' },
        }),
      ),
    ).toBe('[ 12.3s] r1 staging Smoke test FAILED: command-failed: exit code 1\n');
    // Bookkeeping events are left out.
    expect(
      renderer.line(engine({ type: 'stage.running_steps', revision: 1, stage: 'staging' })),
    ).toBeUndefined();
    expect(renderer.line({ type: 'scenario-finished', ok: true, ...timing })).toBeUndefined();
    expect(
      renderer.line({
        type: 'image-marked-unhealthy',
        image: `registry.example/acme/web@sha256:${'e'.repeat(64)}`,
        ...timing,
      }),
    ).toBe(
      '[ 12.3s] sandbox: tasks running registry.example/acme/web@sha256:eeeeeeeeeeee… now answer with 5xx errors\n',
    );
  });

  it('a summary with a mark per expected outcome, and where to explore', () => {
    const run: Parameters<typeof renderExplore>[0] = {
      outcome: {
        ok: false,
        speed: 60,
        elapsedMs: 61_500,
        demoMinutes: 61.5,
        checks: [
          {
            id: 'revision-1-everywhere',
            expectation: 'revision 1 succeeded everywhere',
            ok: true,
            detail: 'all good',
          },
          {
            id: 'prod-eu-untouched',
            expectation: 'prod-eu never ran revision 2',
            ok: false,
            detail: 'revision 2 started in prod-eu',
          },
        ],
      },
      serverUrl: 'http://127.0.0.1:8080',
      adminToken: 'demo_secret',
      sandboxEndpoint: 'http://127.0.0.1:4566',
      sandboxAccounts: [
        { id: '555555555555', name: 'prod', accessKeyId: 'AKIAPROD', secretAccessKey: 'shh' },
      ],
      configFile: '/tmp/rampart-demo-x/rampart.config.yaml',
      workDir: '/tmp/rampart-demo-x',
    };
    const summary = renderSummary(run);
    expect(summary).toContain('  ✓ revision 1 succeeded everywhere\n      all good\n');
    expect(summary).toContain(
      '  ✗ prod-eu never ran revision 2\n      revision 2 started in prod-eu\n',
    );
    expect(summary).toContain(
      '1 of 2 expected outcomes happened, in 61.5 s (62 demo minutes at 60x).',
    );
    const explore = renderExplore(run);
    expect(explore).toContain('export RAMPART_CONFIG=/tmp/rampart-demo-x/rampart.config.yaml\n');
    expect(explore).toContain('curl -H "authorization: Bearer demo_secret"');
    expect(explore).toContain('http://127.0.0.1:8080/api/v1/pipelines/web/status');
    expect(explore).toContain('AWS_ACCESS_KEY_ID=AKIAPROD');
  });
});
