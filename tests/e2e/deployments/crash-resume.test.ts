/**
 * Issue 6, crash-resume: `rampart server` runs as a child process while two pipelines deploy one
 * revision after another through three stages; the test kills it with SIGKILL at 20 random
 * points (a seeded PRNG: set RAMPART_E2E_SEED to replay a run) and starts it again on the same
 * data. In the end every deployment has the status its commit calls for, none was created twice,
 * and no (deployment, stage) registered more than one ECS task definition.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  DeploymentDetail,
  DeploymentListResponse,
  EventListResponse,
  StartDeploymentResponse,
} from '@rampart/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { DeployWorld, ORGANIZATION, PROD, STAGING } from './support/deploy-world.js';
import { outline } from './support/deployment-waits.js';
import { chooseSeed, randomInts } from './support/seeded-random.js';
import { requireBuiltCli, ServerProcess } from './support/server-process.js';
import { DATABASES } from './support/test-databases.js';
import { waitFor } from './support/wait-for.js';
import { INITIAL_IMAGE, type WorkloadSpec } from './support/workload.js';

const KILLS = 20;
const SLUGS = ['alpha', 'beta'] as const;
const ADMIN_TOKEN = 'e2e-crash-admin-token-0123456789abcdef';
const STAGES = [
  { stage: 'staging', accountId: STAGING, region: 'us-east-1' },
  { stage: 'prod-east', accountId: PROD, region: 'us-east-1' },
  { stage: 'prod-west', accountId: PROD, region: 'us-west-2' },
] as const;
/** The stage where a revision of a failing commit stops. */
const FAILING_STAGE = 'prod-east';

function pipeline(slug: string): string {
  return `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
${STAGES.map((s) => `    - name: ${s.stage}\n      account_id: "${s.accountId}"\n      region: ${s.region}\n`).join('')}
  steps:
    - name: Check
      type: RAMPART:SCRIPT:RUN
      params:
        command: test ! -e flags/${slug}-fail-\${{ stage.name }}
    - name: Deploy
      type: RAMPART:ECS:DEPLOY
      params:
        cluster_name: ${slug}
        service_name: ${slug}
        image_url: registry.example/${slug}:r\${{ trigger.revision }}
`;
}

const workloads: WorkloadSpec[] = SLUGS.flatMap((slug) =>
  STAGES.map((s) => ({ accountId: s.accountId, region: s.region, name: slug })),
);

/** Every third revision of a pipeline deploys the commit whose check fails in prod-east. */
const fails = (revision: number) => revision % 3 === 2;
const failingIndex = STAGES.findIndex((s) => s.stage === FAILING_STAGE);

/** The status each stage of a revision ends in. */
const expectedStages = (revision: number): string[] =>
  STAGES.map((_, index) =>
    !fails(revision) || index < failingIndex
      ? 'succeeded'
      : index === failingIndex
        ? 'failed'
        : 'not_reached',
  );

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Calls the API until the server answers (it may be down, or die while answering). The bound is
 * wide: a deployment may live through many restarts on a busy machine.
 */
async function whenUp<T>(what: string, call: () => Promise<T | undefined>): Promise<T> {
  return waitFor(
    what,
    async (seen) => {
      try {
        return await call();
      } catch (error) {
        seen(String(error));
        return undefined;
      }
    },
    { timeoutMs: 400_000, everyMs: 100 },
  );
}

describe.each(DATABASES)('crash-resume of rampart server on $database', ({ database }) => {
  let world: DeployWorld | undefined;
  let server: ServerProcess | undefined;
  let skip = '';

  beforeAll(async () => {
    requireBuiltCli();
    const good: Record<string, string> = {};
    for (const slug of SLUGS) good[slug] = pipeline(slug);
    const created = await DeployWorld.create({
      database,
      pipelines: good,
      workloads,
      ecsTaskStartMs: 1,
    });
    if ('skip' in created) {
      skip = created.skip;
      return;
    }
    world = created;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const configFile = join(world.dir, 'rampart.config.yaml');
    const config = world.config();
    writeFileSync(
      configFile,
      [
        'organization:',
        `  name: ${ORGANIZATION.name}`,
        `  slug: ${ORGANIZATION.slug}`,
        `  cicd_account_id: "${ORGANIZATION.cicd_account_id}"`,
        `  cicd_account_region: ${ORGANIZATION.cicd_account_region}`,
        `issuer_url: ${url}`,
        `listen: 127.0.0.1:${port}`,
        `data_dir: ${config.data_dir ?? ''}`,
        ...(config.database_url === undefined
          ? []
          : [`database_url: ${JSON.stringify(config.database_url)}`]),
        'aws:',
        `  endpoint_url: ${world.sandbox.endpoint}`,
        `admin_token: ${ADMIN_TOKEN}`,
      ].join('\n'),
    );
    server = new ServerProcess(configFile, url, world.dir);
    await server.start();
    await world.bootstrap(url);
    const api = new ApiClient(url, ADMIN_TOKEN);
    for (const slug of SLUGS) await api.register(slug, world.repo.dir);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await world?.destroy();
  });

  it(`ends every deployment correctly after ${KILLS} SIGKILLs, registering nothing twice`, async (context) => {
    if (world === undefined || server === undefined) return context.skip(skip);
    const seed = chooseSeed();
    const random = randomInts(seed);
    console.log(`crash-resume on ${database}: seed ${seed} (RAMPART_E2E_SEED=${seed} replays it)`);
    const api = new ApiClient(server.url, ADMIN_TOKEN);
    const goodSha = world.repo.git('rev-parse', 'HEAD');
    const failingSha = world.repo.commit(
      Object.fromEntries(SLUGS.map((slug) => [`flags/${slug}-fail-${FAILING_STAGE}`, 'x'])),
      'failing checks',
    );

    world.sandbox.control.clearRequestLog();
    // Each pipeline releases one revision after another until the kills are over.
    let killing = true;
    const issued = new Map<string, number>();
    const drive = async (slug: string) => {
      for (let i = 1; killing || i === 1; i++) {
        const requestId = `${slug}-${i}`;
        const answer = await whenUp(`the request of ${requestId}`, async () => {
          const response = await api.call<StartDeploymentResponse>(
            'POST',
            `/pipelines/${slug}/deployments`,
            { sha: fails(i) ? failingSha : goodSha, requestId, reason: `release ${i}` },
          );
          return response.status === 201 || response.status === 200 ? response.body : undefined;
        });
        expect(answer.deployment.revision).toBe(i);
        issued.set(slug, i);
        await whenUp(`${slug}:${i} to finish`, async () => {
          const response = await api.call<{ deployment: DeploymentDetail }>(
            'GET',
            `/pipelines/${slug}/deployments/${i}`,
          );
          return response.status === 200 && response.body.deployment.status !== 'running'
            ? true
            : undefined;
        });
      }
    };
    const drivers = Promise.all(SLUGS.map((slug) => drive(slug)));
    drivers.catch(() => undefined);

    // Each run lasts until the engine commits something, then a random while longer: mostly
    // short, every third one long enough for a step to finish (a command claimed more than ten
    // times is given up, as a poison command would be).
    let seq = 0;
    /** Whether events were committed after the last one seen (and moves past them). */
    const progressed = () =>
      whenUp('the event log', async () => {
        const page = await api.call<EventListResponse>('GET', `/events?limit=1000&after=${seq}`);
        if (page.status !== 200) return undefined;
        seq = page.body.next;
        return page.body.events.length > 0;
      });
    const killPoints: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      while (await progressed());
      await waitFor(
        'the engine to make progress',
        async () => ((await progressed()) ? true : undefined),
        { everyMs: 100 },
      );
      const after = kill % 3 === 0 ? random(800, 2000) : random(0, 500);
      killPoints.push(after);
      await delay(after);
      await server.kill();
      await server.start();
    }
    killing = false;
    await drivers;
    console.log(
      `killed after ${killPoints.join(', ')} ms of progress; starts took ${server.readyAfterMs.join(', ')} ms; revisions per pipeline: ${SLUGS.map((slug) => `${slug} ${issued.get(slug) ?? 0}`).join(', ')}`,
    );

    for (const slug of SLUGS) {
      const count = issued.get(slug) ?? 0;
      expect(count).toBeGreaterThan(1);
      // One deployment per request: retried requests found theirs.
      const list = await api.call<DeploymentListResponse>(
        'GET',
        `/pipelines/${slug}/deployments?limit=200`,
      );
      expect(list.body.deployments.map((d) => d.revision)).toEqual(
        Array.from({ length: count }, (_, i) => count - i),
      );
      for (let revision = 1; revision <= count; revision++) {
        const deployment = await api.deployment(slug, revision);
        expect(deployment.status).toBe(fails(revision) ? 'failed' : 'succeeded');
        // The engine keeps the stages of the recent deployments only.
        if (deployment.archived) continue;
        expect(
          deployment.stages.map((s) => s.status),
          `${slug}:${revision} ${JSON.stringify(outline(deployment))}\n${server.output.slice(-3000)}`,
        ).toEqual(expectedStages(revision));
      }

      // Each (deployment, stage) that deployed registered exactly one task definition.
      for (const [index, s] of STAGES.entries()) {
        const deployedHere = Array.from({ length: count }, (_, i) => i + 1).filter(
          (revision) => expectedStages(revision)[index] === 'succeeded',
        );
        const workload = { accountId: s.accountId, region: s.region, name: slug };
        const revisions = await world.workloads.revisions(workload);
        expect(
          revisions.map((r) => r.image),
          `${slug} in ${s.stage}`,
        ).toEqual([
          INITIAL_IMAGE,
          ...deployedHere.map((revision) => `registry.example/${slug}:r${revision}`),
        ]);
        expect(await world.workloads.service(workload)).toMatchObject({
          image: `registry.example/${slug}:r${deployedHere.at(-1) ?? 0}`,
          rollout: 'COMPLETED',
        });
      }
    }
    // The same from the sandbox's own log: one successful registration per new revision.
    const registrations = world.sandbox.control
      .requestLog({ service: 'ecs', action: 'RegisterTaskDefinition' })
      .filter((entry) => entry.status === 200 && entry.callerArn.includes(':assumed-role/'));
    let expectedRegistrations = 0;
    for (const slug of SLUGS) {
      const count = issued.get(slug) ?? 0;
      for (let revision = 1; revision <= count; revision++) {
        expectedRegistrations += expectedStages(revision).filter((s) => s === 'succeeded').length;
      }
    }
    expect(registrations).toHaveLength(expectedRegistrations);
    expect(server.starts).toBe(KILLS + 1);
  }, 600_000);
});
