// Real OCI clients against the sandbox's registry: buildah builds a FROM-scratch image and pushes
// it with an ECR token; skopeo copies it between accounts (allowed by a repository policy,
// refused without one) and round-trips a multi-platform index with --all. Everything the tools
// write goes to a temporary directory (storage root, run root, config, auth file).
import { gunzipSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  SetRepositoryPolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/index.js';
import {
  ecrClient,
  policyDocument,
  registryPassword,
} from '../../src/services/ecr/test-support/ecr-sandbox.js';
import { CICD, DEV } from '../sdk-clients.js';
import { cleanEnv, describeRun, run, skipWithout, tempDir, type RunResult } from './system-kit.js';

const buildah = skipWithout('buildah');
const skopeo = skipWithout('skopeo');

describe.skipIf(buildah.skip || skopeo.skip)(
  `buildah and skopeo against the sandbox registry${buildah.title}${skopeo.title}`,
  () => {
    let sandbox: Sandbox;
    let work: { path: string; remove: () => Promise<void> };
    let host: string;
    let cicd: ECRClient;
    let dev: ECRClient;
    let cicdCreds: string;
    let devCreds: string;
    let env: Record<string, string>;
    let storage: string[];
    let policy: string;

    const tool = async (command: string, args: string[]): Promise<RunResult> =>
      run(command, args, { cwd: work.path, env, timeoutMs: 180_000 });
    const ok = async (command: string, args: string[]): Promise<string> => {
      const result = await tool(command, args);
      expect(result.code, describeRun(`${command} ${args.join(' ')}`, result)).toBe(0);
      return result.stdout;
    };
    const image = (account: string, repository: string, tag: string) =>
      `${host}/${account}/us-east-1/${repository}:${tag}`;
    const skopeoCopy = (args: string[]) =>
      tool('skopeo', ['--policy', policy, 'copy', '--retry-times', '0', ...args]);

    /** Builds a FROM-scratch image with one copied file; returns its local name. */
    async function build(tag: string, platform: string, content: string): Promise<string> {
      const context = join(work.path, `context-${tag}`);
      await mkdir(context, { recursive: true });
      await writeFile(join(context, 'hello.txt'), content);
      await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
      await ok('buildah', [
        ...storage,
        'bud',
        '--isolation',
        'chroot',
        '--signature-policy',
        policy,
        '--platform',
        platform,
        '-t',
        `localhost/${tag}`,
        context,
      ]);
      return `localhost/${tag}`;
    }

    beforeAll(async () => {
      // The tools read no clock of ours: this sandbox keeps the system clock.
      sandbox = await startSandbox();
      host = new URL(sandbox.endpoint).host;
      work = await tempDir('rampart-registry-clients-');
      const dirs = ['home', 'root', 'runroot', 'tmp', 'config'].map((d) => join(work.path, d));
      for (const dir of dirs) await mkdir(dir, { recursive: true });
      const [home = '', root = '', runroot = '', tmp = '', config = ''] = dirs;
      policy = join(config, 'policy.json');
      await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
      await writeFile(join(config, 'registries.conf'), 'unqualified-search-registries = []\n');
      await writeFile(join(config, 'auth.json'), '{"auths":{}}\n');
      await writeFile(
        join(config, 'storage.conf'),
        `[storage]\ndriver = "vfs"\nrunroot = "${runroot}"\ngraphroot = "${root}"\n`,
      );
      env = cleanEnv({
        HOME: home,
        TMPDIR: tmp,
        XDG_RUNTIME_DIR: runroot,
        XDG_CONFIG_HOME: config,
        XDG_DATA_HOME: join(home, 'data'),
        CONTAINERS_REGISTRIES_CONF: join(config, 'registries.conf'),
        CONTAINERS_STORAGE_CONF: join(config, 'storage.conf'),
        REGISTRY_AUTH_FILE: join(config, 'auth.json'),
        BUILDAH_ISOLATION: 'chroot',
      });
      storage = ['--storage-driver', 'vfs', '--root', root, '--runroot', runroot];
      cicd = ecrClient(sandbox, sandbox.credentialsFor(CICD), systemClock());
      dev = ecrClient(sandbox, sandbox.credentialsFor(DEV), systemClock());
      for (const name of ['app', 'multi']) {
        await cicd.send(new CreateRepositoryCommand({ repositoryName: name }));
      }
      for (const name of ['app-copy', 'multi-copy']) {
        await dev.send(new CreateRepositoryCommand({ repositoryName: name }));
      }
      cicdCreds = `AWS:${await registryPassword(cicd)}`;
      devCreds = `AWS:${await registryPassword(dev)}`;
    });
    afterAll(async () => {
      await sandbox?.stop();
      await work?.remove();
    });

    it('builds a FROM scratch image with buildah and pushes it with an ECR token', async () => {
      const local = await build('app', 'linux/amd64', 'hello from buildah\n');
      const denied = await tool('buildah', [
        ...storage,
        'push',
        '--signature-policy',
        policy,
        '--tls-verify=false',
        '--creds',
        devCreds,
        local,
        `docker://${image(CICD, 'app', 'v1')}`,
      ]);
      expect(denied.code, describeRun('push with another account’s token', denied)).not.toBe(0);
      await ok('buildah', [
        ...storage,
        'push',
        '--signature-policy',
        policy,
        '--tls-verify=false',
        '--creds',
        cicdCreds,
        local,
        `docker://${image(CICD, 'app', 'v1')}`,
      ]);
      const { imageDetails } = await cicd.send(
        new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
      );
      expect(imageDetails?.[0]?.imageTags).toEqual(['v1']);
      const { images } = await cicd.send(
        new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
      );
      const manifest = JSON.parse(images?.[0]?.imageManifest ?? '{}') as {
        layers: { digest: string }[];
      };
      expect(manifest.layers).toHaveLength(1);
      // The layer is the tar of the copied file.
      const layer = await fetch(
        `${sandbox.endpoint}/v2/${CICD}/us-east-1/app/blobs/${manifest.layers[0]?.digest ?? ''}`,
        { headers: { authorization: `Basic ${Buffer.from(cicdCreds).toString('base64')}` } },
      );
      const bytes = Buffer.from(await layer.arrayBuffer());
      const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
      expect(tar.toString('latin1')).toContain('hello from buildah');
    });

    it('copies the image to another account with skopeo only when the repository policy allows', async () => {
      const copy = () =>
        skopeoCopy([
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          '--src-creds',
          devCreds,
          '--dest-creds',
          devCreds,
          `docker://${image(CICD, 'app', 'v1')}`,
          `docker://${image(DEV, 'app-copy', 'v1')}`,
        ]);
      const refused = await copy();
      expect(refused.code, describeRun('skopeo copy without a policy', refused)).not.toBe(0);
      expect(refused.stderr).toMatch(/denied|403/i);
      await cicd.send(
        new SetRepositoryPolicyCommand({
          repositoryName: 'app',
          policyText: policyDocument([
            {
              Sid: 'dev-pulls',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${DEV}:root` },
              Action: [
                'ecr:BatchGetImage',
                'ecr:GetDownloadUrlForLayer',
                'ecr:BatchCheckLayerAvailability',
              ],
            },
          ]),
        }),
      );
      const allowed = await copy();
      expect(allowed.code, describeRun('skopeo copy with a policy', allowed)).toBe(0);
      const source = await cicd.send(
        new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
      );
      const target = await dev.send(
        new DescribeImagesCommand({ repositoryName: 'app-copy', imageIds: [{ imageTag: 'v1' }] }),
      );
      expect(target.imageDetails?.[0]?.imageDigest).toBe(source.imageDetails?.[0]?.imageDigest);
    });

    it('round-trips a multi-platform image index through skopeo --all', async () => {
      const amd = await build('multi-amd64', 'linux/amd64', 'amd64\n');
      const arm = await build('multi-arm64', 'linux/arm64', 'arm64\n');
      await ok('buildah', [...storage, 'manifest', 'create', 'localhost/multi-list']);
      await ok('buildah', [...storage, 'manifest', 'add', 'localhost/multi-list', amd]);
      await ok('buildah', [...storage, 'manifest', 'add', 'localhost/multi-list', arm]);
      await ok('buildah', [
        ...storage,
        'manifest',
        'push',
        '--all',
        '--signature-policy',
        policy,
        '--tls-verify=false',
        '--creds',
        cicdCreds,
        'localhost/multi-list',
        `docker://${image(CICD, 'multi', 'v1')}`,
      ]);
      const layout = join(work.path, 'multi-layout');
      const down = await skopeoCopy([
        '--all',
        '--src-tls-verify=false',
        '--src-creds',
        cicdCreds,
        `docker://${image(CICD, 'multi', 'v1')}`,
        `oci:${layout}:v1`,
      ]);
      expect(down.code, describeRun('skopeo copy --all to a layout', down)).toBe(0);
      const up = await skopeoCopy([
        '--all',
        '--dest-tls-verify=false',
        '--dest-creds',
        devCreds,
        `oci:${layout}:v1`,
        `docker://${image(DEV, 'multi-copy', 'v1')}`,
      ]);
      expect(up.code, describeRun('skopeo copy --all back to the registry', up)).toBe(0);
      const [source, target] = await Promise.all([
        cicd.send(
          new BatchGetImageCommand({ repositoryName: 'multi', imageIds: [{ imageTag: 'v1' }] }),
        ),
        dev.send(
          new BatchGetImageCommand({
            repositoryName: 'multi-copy',
            imageIds: [{ imageTag: 'v1' }],
          }),
        ),
      ]);
      const index = JSON.parse(source.images?.[0]?.imageManifest ?? '{}') as {
        manifests: { digest: string; platform: { architecture: string } }[];
      };
      expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual([
        'amd64',
        'arm64',
      ]);
      expect(source.images?.[0]?.imageManifestMediaType).toMatch(/index|list/);
      expect(target.images?.[0]?.imageId?.imageDigest).toBe(
        source.images?.[0]?.imageId?.imageDigest,
      );
      // Every platform image came along.
      const platforms = await dev.send(
        new BatchGetImageCommand({
          repositoryName: 'multi-copy',
          imageIds: index.manifests.map((m) => ({ imageDigest: m.digest })),
        }),
      );
      expect(platforms.images).toHaveLength(2);
      const raw = await ok('skopeo', [
        '--policy',
        policy,
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--creds',
        devCreds,
        `docker://${image(DEV, 'multi-copy', 'v1')}`,
      ]);
      expect(raw.trim()).toBe(source.images?.[0]?.imageManifest);
    });
  },
  300_000,
);

/** The wall clock, as the tools see it. */
function systemClock(): { now(): Date } {
  return { now: () => new Date() };
}
