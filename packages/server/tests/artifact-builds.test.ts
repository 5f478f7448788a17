// The build phase through the API: a deployment of a pipeline with an artifact shows its build,
// its build log is served under `?build=`, and a failed build fails it before any stage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactBuilder, BuildRequest } from '@rampart/engine';
import type { DeploymentDetail, LogListResponse } from '@rampart/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { TestGitRepo } from '../src/test-support/git-repo.js';

const PIPELINE = `version: "1.0.0"
pipeline:
  cloud_provider: AWS
  stages:
    - name: staging
      account_id: "444444444444"
      region: us-east-1
  steps:
    - name: Sign-off
      type: RAMPART:APPROVAL:MANUAL
  artifacts:
    Api Image:
      type: DOCKER:BUILD
      params: { dockerfile: Dockerfile }
`;

describe('artifact builds through the API', () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  const requests: BuildRequest[] = [];
  const mirrored: Record<string, Record<string, string>>[] = [];
  let failNext = false;

  const builder: ArtifactBuilder = {
    build: (request) => {
      requests.push(request);
      request.log('Step 1/2 : FROM node:20');
      request.log('Step 2/2 : COPY . .');
      if (failNext) return Promise.reject(new Error('docker build exited with 1\nno space left'));
      return Promise.resolve({
        fields: {
          image_url: `111111111111.dkr.ecr.us-east-1.amazonaws.com/web-api-image@sha256:${request.commitSha}`,
          image_digest: `sha256:${request.commitSha}`,
          image_tag: request.commitSha,
        },
      });
    },
  };

  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-builds-'));
    const repo = new TestGitRepo(join(dir, 'repo'), dir);
    repo.commit({ '.rampart/web/pipeline.yaml': PIPELINE, Dockerfile: 'FROM node:20\n' }, 'web');
    server = await startServer({
      config: {
        data_dir: join(dir, 'data'),
        organization: {
          name: 'Acme',
          slug: 'acme',
          cicd_account_id: '111111111111',
          cicd_account_region: 'us-east-1',
        },
      },
      listen: '127.0.0.1:0',
      runtime: { storePollIntervalMs: 200 },
      ports: {
        builder,
        resources: { check: () => Promise.resolve([]) },
        mirror: {
          mirror: (request) => {
            mirrored.push({ ...request.sources });
            return Promise.resolve({
              'api-image': { image_url: 'stage-copy' },
            });
          },
        },
      },
    });
    token = server.firstAdminToken?.secret ?? '';
    const registered = await call('POST', '/api/v1/pipelines', {
      slug: 'web',
      source: { kind: 'git', location: repo.dir },
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds before the first stage, shows the build and serves its log under ?build=', async () => {
    const started = await call('POST', '/api/v1/pipelines/web/deployments', {});
    expect(started.status).toBe(201);
    await server.runtime.whenIdle();
    const { body } = await call<{ deployment: DeploymentDetail }>(
      'GET',
      '/api/v1/pipelines/web/deployments/1',
    );
    const d = body.deployment;
    expect(d.status).toBe('running');
    expect(d.builds).toEqual([
      expect.objectContaining({ name: 'Api Image', id: 'api-image', status: 'succeeded' }),
    ]);
    expect(requests[0]?.artifact).toMatchObject({
      type: 'RAMPART:DOCKER:BUILD',
      destination: { accountId: '111111111111', repository: 'web-api-image' },
    });
    expect(mirrored[0]?.['api-image']).toEqual(d.builds?.[0]?.fields);
    expect(d.stages[0]?.status).toBe('running_steps');

    const logs = await call<LogListResponse>(
      'GET',
      '/api/v1/pipelines/web/deployments/1/logs?build=Api%20Image',
    );
    expect(logs.body.lines.map((l) => [l.stage, l.step, l.text])).toEqual([
      ['(build)', 'build:Api Image', 'Step 1/2 : FROM node:20'],
      ['(build)', 'build:Api Image', 'Step 2/2 : COPY . .'],
    ]);
    const refused = await call('GET', '/api/v1/pipelines/web/deployments/1/logs?build=x&step=y');
    expect(refused.status).toBe(400);
  });

  it('a failed build fails the deployment before any stage, with the builder message', async () => {
    failNext = true;
    const started = await call('POST', '/api/v1/pipelines/web/deployments', {});
    expect(started.status).toBe(201);
    await server.runtime.whenIdle();
    const { body } = await call<{ deployment: DeploymentDetail }>(
      'GET',
      '/api/v1/pipelines/web/deployments/2',
    );
    expect(body.deployment).toMatchObject({
      status: 'failed',
      error: 'artifact "Api Image" failed to build: docker build exited with 1\nno space left',
      stages: [expect.objectContaining({ status: 'not_reached' })],
      builds: [expect.objectContaining({ status: 'failed' })],
    });
  });
});
