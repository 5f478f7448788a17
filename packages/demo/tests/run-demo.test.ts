/**
 * The whole demo scenario, fast: every expected outcome, checked from the returned result and
 * again from the sandbox's ECS services and the server's API, then a clean stop.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { deploymentResponseSchema } from '@rampart/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoEvent, type DemoRun } from '../src/index.js';

/**
 * Fast enough for the test budget; the scenario is the same at every speed. Not faster: an hour
 * of session credentials is 24 s of real time at 150×, and a step on a busy CI machine must finish
 * well within that (at 300× a slow upload once outlived its credentials).
 */
const SPEED = 150;

describe('rampart demo (library)', () => {
  let run: DemoRun;
  const events: DemoEvent[] = [];

  beforeAll(async () => {
    run = await runDemo({ port: 0, speed: SPEED, onEvent: (e) => events.push(e) });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('reports every expected outcome as happened', () => {
    expect(run.outcome.checks.map((c) => [c.id, c.ok, c.detail])).toEqual([
      ['revision-1-everywhere', true, 'staging succeeded, prod-us succeeded, prod-eu succeeded'],
      ['revision-2-staging', true, 'staging succeeded'],
      [
        'alarm-during-bake',
        true,
        expect.stringMatching(/^web-5xx ALARM [\d.]+ demo minutes into the bake$/),
      ],
      ['prod-us-rolled-back', true, expect.stringContaining('service web runs web:2 (COMPLETED)')],
      ['prod-eu-untouched', true, expect.stringContaining('revision 2 not_reached')],
      ['stages-blocked', true, expect.stringMatching(/^prod-us blocked, prod-eu blocked/)],
      [
        'artifacts-built-once',
        true,
        expect.stringMatching(
          /^r1 Web Image imported sha256:\w{12}, r1 Site built \w{12}, r2 Web Image imported sha256:\w{12}, r2 Site reused from revision 1$/,
        ),
      ],
      ['artifacts-mirrored', true, expect.stringContaining('in staging, prod-us, prod-eu')],
      ['steps-used-mirrors', true, expect.stringContaining('sites hold index.html, robots.txt')],
    ]);
    expect(run.outcome.ok).toBe(true);
    expect(run.outcome.speed).toBe(SPEED);
    // Demo time ran SPEED times faster than real time.
    expect(run.outcome.demoMinutes).toBeCloseTo((run.outcome.elapsedMs * SPEED) / 60_000, 0);
  });

  it('reported its progress in order: setup, releases, the alarm and the rollback', () => {
    const kinds = events.map((e) =>
      e.type === 'engine-event'
        ? `${e.event.type} ${e.event.deploymentId ?? e.event.stage ?? ''}`
        : e.type,
    );
    const order = [
      'sandbox-started',
      'server-started',
      'repository-created',
      'bootstrap-done',
      'pipeline-registered',
      'release-requested',
      'deployment.succeeded web:1',
      'image-marked-unhealthy',
      'release-requested',
      'alarm.state_changed prod-us',
      'stage.rolling_back web:2',
      'deployment.rolled_back web:2',
      'scenario-finished',
    ];
    let from = 0;
    for (const kind of order) {
      const at = kinds.indexOf(kind, from);
      expect(at, `${kind} after position ${from}`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
    expect(
      events
        .filter((e) => e.type === 'workload-ready')
        .map((e) => e.type === 'workload-ready' && e.stage)
        .sort(),
    ).toEqual(['prod-eu', 'prod-us', 'staging']);
    // Bakes are reported with their end: ten demo minutes after they start.
    const bake = events.find((e) => e.type === 'engine-event' && e.bakeEndsAt !== undefined);
    expect(
      bake?.type === 'engine-event' && bake.bakeEndsAt !== undefined
        ? Math.round((Date.parse(bake.bakeEndsAt) - Date.parse(bake.event.at)) / 60_000)
        : undefined,
    ).toBe(10);
    // Elapsed real time only grows; demo time too.
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.elapsedMs).toBeGreaterThanOrEqual(events[i - 1]!.elapsedMs);
    }
  });

  it("leaves each stage's ECS service on the revision the story says", async () => {
    const token = run.adminToken;
    const detail = async (revision: number) => {
      const response = await fetch(
        `${run.serverUrl}/api/v1/pipelines/web/deployments/${revision}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      return deploymentResponseSchema.parse(await response.json()).deployment;
    };
    const [first, second] = [await detail(1), await detail(2)];
    const registered = (d: typeof first, stage: string) =>
      d.stages.find((s) => s.name === stage)?.steps.find((s) => s.name === 'Deploy web')?.outputs?.[
        'task_definition_arn'
      ];
    const prod = run.sandboxAccounts.find((a) => a.id === '555555555555');
    const staging = run.sandboxAccounts.find((a) => a.id === '444444444444');
    const service = async (account: typeof prod, region: string) => {
      const ecs = new ECSClient({
        endpoint: run.sandboxEndpoint,
        region,
        credentials: {
          accessKeyId: account?.accessKeyId ?? '',
          secretAccessKey: account?.secretAccessKey ?? '',
        },
        // Requests are signed in demo time, which runs ahead of the wall clock.
        systemClockOffset: run.clock.now().getTime() - Date.now(),
      });
      const described = await ecs.send(
        new DescribeServicesCommand({ cluster: 'web', services: ['web'] }),
      );
      const arn = described.services?.[0]?.taskDefinition;
      const task = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      ecs.destroy();
      return { arn, image: task.taskDefinition?.containerDefinitions?.[0]?.image };
    };

    // prod-us: rolled back to what revision 1 registered there, the v1 image.
    const prodUs = await service(prod, 'us-east-1');
    expect(prodUs.arn).toBe(registered(first, 'prod-us'));
    expect(prodUs.arn).toBe('arn:aws:ecs:us-east-1:555555555555:task-definition/web:2');
    // Each stage runs its own copy of the vendor image, pinned by digest.
    const registry = new URL(run.sandboxEndpoint).host;
    const copy = (account: string, region: string, stage: string, digest: string) =>
      `${registry}/${account}/${region}/web-${stage}-web-image@${digest}`;
    expect(prodUs.image).toBe(copy('555555555555', 'us-east-1', 'prod-us', run.images.v1.digest));
    expect(registered(second, 'prod-us')).toBe(
      'arn:aws:ecs:us-east-1:555555555555:task-definition/web:3',
    );
    // prod-eu: revision 2 never ran there.
    const prodEu = await service(prod, 'eu-west-1');
    expect(prodEu.arn).toBe(registered(first, 'prod-eu'));
    expect(prodEu.image).toBe(copy('555555555555', 'eu-west-1', 'prod-eu', run.images.v1.digest));
    expect(second.stages.find((s) => s.name === 'prod-eu')?.status).toBe('not_reached');
    // staging: no alarm, so it keeps revision 2 and its unhealthy image.
    const stagingService = await service(staging, 'us-east-1');
    expect(stagingService.arn).toBe(registered(second, 'staging'));
    expect(stagingService.image).toBe(
      copy('444444444444', 'us-east-1', 'staging', run.images.v2.digest),
    );
    expect(run.images.v1.digest).not.toBe(run.images.v2.digest);
  });

  it('stops the server and the sandbox and removes its directory', async () => {
    expect(existsSync(run.configFile)).toBe(true);
    await run.stop();
    expect(existsSync(run.workDir)).toBe(false);
    await expect(fetch(`${run.serverUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(`${run.sandboxEndpoint}/_sandbox/health`)).rejects.toThrow();
  });

  it('refuses a speed it cannot run reliably', async () => {
    await expect(runDemo({ speed: 0 })).rejects.toThrow('speed must be from 1 to 600, not 0');
    await expect(runDemo({ speed: 601 })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('says how to pick another port when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(runDemo({ port, speed: SPEED })).rejects.toMatchObject({
        code: 'SERVER_LISTEN_FAILED',
        hint: expect.stringContaining('--port 0 picks a free one') as unknown,
      });
    } finally {
      taken.close();
    }
  });
});
