// DOCKER:BUILD with buildah (vfs storage, chroot isolation, no daemon) against the sandbox's
// registry, IAM enforced: a FROM-scratch image with a COPY, build args and env, for an
// architecture, pushed under the revision tag and pinned by digest; a re-run keeps it; a broken
// Dockerfile fails with buildah's words; rebuild_when_changed reuses the stored image. Skipped
// when buildah is not installed (CI installs it: .ci/install-system-packages).
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactBuilder, digestOf } from '../src/index.js';
import {
  CICD,
  REGION,
  REPOSITORY,
  rejection,
  startBuildHarness,
  type BuildHarness,
} from './support/build-harness.js';
import { basicHeaders, registryLogin } from './support/sandbox-access.js';
import { readManifest } from './support/test-images.js';

const hasBuildah = spawnSync('buildah', ['--version']).status === 0;

const DOCKERFILE = `FROM scratch
ARG GREETING=unset
ARG FLAVOR=unset
LABEL greeting=$GREETING flavor=$FLAVOR
COPY hello.txt /hello.txt
`;

describe.skipIf(!hasBuildah)(
  `DOCKER:BUILD with buildah${hasBuildah ? '' : ' (skipped: buildah is not installed; apt-get install buildah)'}`,
  () => {
    let h: BuildHarness;
    let registry: { base: string; headers: Record<string, string> };
    const repository = `${CICD}/${REGION}/${REPOSITORY}`;

    const blob = async (digest: string): Promise<Buffer> => {
      const response = await fetch(`${registry.base}/v2/${repository}/blobs/${digest}`, {
        headers: registry.headers,
      });
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };

    beforeAll(async () => {
      h = await startBuildHarness();
      await h.repo.commit({
        'docker/api.Dockerfile': DOCKERFILE,
        'app/hello.txt': 'hello from a rampart build\n',
        'docs/notes.md': 'one\n',
      });
      const login = await registryLogin(h.sandbox, h.sandbox.credentialsFor(CICD));
      registry = { base: h.sandbox.endpoint, headers: basicHeaders(login) };
    }, 60_000);
    afterAll(async () => {
      await h?.stop();
    });

    const params = {
      dockerfile: 'docker/api.Dockerfile',
      build_root: 'app',
      args: ['GREETING=hi'],
      env: { FLAVOR: 'mint', GREETING: 'overridden by args' },
    };

    it('builds FROM scratch for the architecture and pushes it under the revision tag', async () => {
      const builder = createArtifactBuilder(h.options);
      const request = h.request({
        type: 'DOCKER:BUILD',
        params,
        architecture: 'linux/arm64',
        rebuildWhenChanged: ['app'],
      });
      const result = await builder.build(request);
      const tag = `1-${request.commitSha.slice(0, 7)}`;
      const host = new URL(h.sandbox.endpoint).host;
      const digest = result.fields.image_digest ?? '';
      expect(result.fields).toEqual({
        image_url: `${host}/${repository}@${digest}`,
        image_tag: tag,
        image_digest: digest,
      });
      const stored = await readManifest(registry, repository, tag);
      expect(digestOf(stored.bytes)).toBe(digest);
      const manifest = JSON.parse(stored.bytes.toString('utf8')) as {
        config: { digest: string };
        layers: { digest: string }[];
      };
      const config = JSON.parse((await blob(manifest.config.digest)).toString('utf8')) as {
        architecture: string;
        config: { Labels: Record<string, string> };
      };
      expect(config.architecture).toBe('arm64');
      expect(config.config.Labels).toMatchObject({ greeting: 'hi', flavor: 'mint' });
      const layer = gunzipSync(await blob(manifest.layers[0]?.digest ?? ''));
      expect(layer.toString('latin1')).toContain('hello from a rampart build');
      expect(request.captured.text()).toContain('with buildah, pushing');

      // A re-run of the same build keeps what it pushed.
      const again = h.request(
        { type: 'DOCKER:BUILD', params, architecture: 'linux/arm64' },
        { deploymentId: request.deploymentId },
      );
      expect(await builder.build(again)).toEqual(result);
      expect(again.captured.text()).toContain('already stored');

      // Only docs changed: the image of revision 1 is reused.
      const first = {
        deploymentId: request.deploymentId,
        revision: 1,
        commitSha: request.commitSha,
      };
      await h.repo.commit({ 'docs/notes.md': 'two\n' });
      const reuse = h.request(
        { type: 'DOCKER:BUILD', params, rebuildWhenChanged: ['app', 'docker'] },
        { revision: 2, previous: { ...first, fields: result.fields } },
      );
      expect(await builder.build(reuse)).toEqual({
        fields: result.fields,
        reusedFrom: { revision: 1, commitSha: first.commitSha },
      });
    });

    it('fails with the last lines of buildah output when the Dockerfile is broken', async () => {
      await h.repo.commit({ 'docker/broken.Dockerfile': 'FROM scratch\nCOPY missing.txt /x\n' });
      const error = await rejection(
        createArtifactBuilder(h.options).build(
          h.request(
            {
              type: 'DOCKER:BUILD',
              params: { dockerfile: 'docker/broken.Dockerfile', build_root: 'app' },
            },
            { revision: 3 },
          ),
        ),
      );
      expect(error.code).toBe('ARTIFACT_BUILD_FAILED');
      expect(error.message).toContain('buildah bud failed (exit code');
      expect(error.message).toContain('missing.txt');

      const missing = await rejection(
        createArtifactBuilder(h.options).build(
          h.request(
            { type: 'DOCKER:BUILD', params: { dockerfile: 'nope/Dockerfile' } },
            { revision: 4 },
          ),
        ),
      );
      expect(missing.code).toBe('ARTIFACT_PARAMS_INVALID');
    });
  },
);
