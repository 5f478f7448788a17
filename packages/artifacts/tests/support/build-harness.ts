// A sandbox with the CI/CD repository and bucket of one artifact, a build role allowed exactly
// those (as bootstrap's build role), the builder's options over it, a git repository in a
// temporary directory as the deployment's checkout, and a manual clock for import waits.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox, type Sandbox } from '@rampart/aws-sandbox';
import { ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS } from '@rampart/core';
import type { ArtifactBuildSpec, BuildRequest, Clock, StageCredentials } from '@rampart/engine';
import type { ArtifactBuilderOptions, BuildClients } from '../../src/index.js';
import { roleSession, sdkConfig } from './sandbox-access.js';

export const CICD = '222222222222';
export const REGION = 'us-east-1';

/** The engine's Clock, moved by hand: a wait jumps to its deadline and calls `onWait` first. */
export class ManualBuildClock implements Clock {
  private current = Date.parse('2026-01-01T00:00:00Z');
  waits = 0;
  onWait: (() => Promise<void>) | undefined;

  now(): Date {
    return new Date(this.current);
  }

  async waitUntil(at: Date): Promise<void> {
    this.waits += 1;
    this.current = Math.max(this.current, at.getTime());
    await this.onWait?.();
  }
}

/** SDK clients on the sandbox, in the shape the builder takes. */
export function sandboxClients(sandbox: Sandbox): BuildClients {
  return {
    s3: (target) =>
      new S3Client({ ...sdkConfig(sandbox, target.credentials), region: target.region }),
    ecr: (target) =>
      new ECRClient({ ...sdkConfig(sandbox, target.credentials), region: target.region }),
  };
}

/** Runs git in `dir`; its trimmed stdout. */
export function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
    encoding: 'utf8',
  }).trim();
}

/** A git repository whose files a test writes and commits. */
export class TestRepo {
  constructor(readonly dir: string) {}

  static async create(parent: string): Promise<TestRepo> {
    const dir = join(parent, 'repo');
    await mkdir(dir, { recursive: true });
    git(dir, ['init', '--quiet', '--initial-branch', 'main']);
    return new TestRepo(dir);
  }

  /** Writes files (path → content) and commits them; returns the commit id. */
  async commit(files: Record<string, string | Buffer>, message = 'change'): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true });
      await writeFile(join(this.dir, path), content);
    }
    git(this.dir, ['add', '--all']);
    git(this.dir, ['commit', '--quiet', '--allow-empty', '-m', message]);
    return git(this.dir, ['rev-parse', 'HEAD']);
  }
}

/** A build request's log, kept for assertions. */
export interface CapturedLog {
  lines: { text: string; stream: string }[];
  text(): string;
}

export interface BuildHarness {
  sandbox: Sandbox;
  work: string;
  repo: TestRepo;
  clock: ManualBuildClock;
  role: StageCredentials;
  admin: { s3: S3Client; ecr: ECRClient };
  options: ArtifactBuilderOptions;
  /** A request for `artifact` at `commitSha` (revision 1 unless given). */
  request(
    artifact: Partial<ArtifactBuildSpec> & Pick<ArtifactBuildSpec, 'type' | 'params'>,
    extra?: Partial<BuildRequest>,
  ): BuildRequest & { captured: CapturedLog };
  stop(): Promise<void>;
}

export const REPOSITORY = 'web-api';
export const BUCKET = `${CICD}-web-site`;

/**
 * Starts the sandbox and creates the CI/CD repository `web-api` and bucket `<cicd>-web-site`,
 * and a role allowed exactly those plus `extraStatements` (import sources).
 */
export async function startBuildHarness(extraStatements: object[] = []): Promise<BuildHarness> {
  const sandbox = await startSandbox();
  const work = await mkdtemp(join(tmpdir(), 'rampart-builds-'));
  const adminCredentials = sandbox.credentialsFor(CICD);
  const admin = {
    s3: new S3Client(sdkConfig(sandbox, adminCredentials)),
    ecr: new ECRClient(sdkConfig(sandbox, adminCredentials)),
  };
  await admin.ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
  await admin.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const role = await roleSession(sandbox, CICD, 'rampart-web-build', [
    { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Effect: 'Allow',
      Action: [...ECR_PULL_ACTIONS, ...ECR_PUSH_ACTIONS],
      Resource: `arn:aws:ecr:${REGION}:${CICD}:repository/${REPOSITORY}`,
    },
    {
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    },
    ...extraStatements,
  ]);
  const repo = await TestRepo.create(work);
  const clock = new ManualBuildClock();
  const options: ArtifactBuilderOptions = {
    workspaces: () => Promise.resolve(repo.dir),
    sdk: sandboxClients(sandbox),
    credentials: () => Promise.resolve(role),
    workDir: join(work, 'builder'),
    imageBuilder: 'buildah',
    clock,
    pollIntervalMs: 15_000,
  };
  let requests = 0;
  return {
    sandbox,
    work,
    repo,
    clock,
    role,
    admin,
    options,
    request(artifact, extra = {}) {
      requests += 1;
      const lines: { text: string; stream: string }[] = [];
      const kind = artifact.type.startsWith('DOCKER') ? 'image' : 'bundle';
      return {
        pipelineId: 'pipeline-web',
        pipelineSlug: 'web',
        deploymentId: `deployment-${requests}`,
        revision: 1,
        commitSha: git(repo.dir, ['rev-parse', 'HEAD']),
        signal: new AbortController().signal,
        log: (text, stream = 'info') => lines.push({ text, stream }),
        captured: { lines, text: () => lines.map((l) => l.text).join('\n') },
        ...extra,
        artifact: {
          name: kind === 'image' ? 'API' : 'Site',
          id: kind === 'image' ? 'api' : 'site',
          kind,
          destination:
            kind === 'image'
              ? { accountId: CICD, region: REGION, repository: REPOSITORY }
              : { accountId: CICD, region: REGION, bucket: BUCKET },
          ...artifact,
        },
      };
    },
    async stop() {
      await sandbox.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** The promise's rejection (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
