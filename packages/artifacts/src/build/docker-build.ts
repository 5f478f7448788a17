/**
 * `DOCKER:BUILD`: builds the Dockerfile of the checkout with buildah or docker buildx (see
 * image-tool.ts), for `architecture` as the platform, and pushes it to the destination repository
 * tagged `<revision>-<short sha>`. A tag an earlier attempt already pushed is kept, not rebuilt.
 */
import { existsSync } from 'node:fs';
import type { BuildResult } from '@rampart/engine';
import { imageFields } from './artifact-fields.js';
import { artifactTag } from './artifact-names.js';
import { defaultBaseEnv, type BuildContext } from './build-context.js';
import { buildahBuild } from './buildah-build.js';
import { dockerBuildxBuild } from './docker-buildx-build.js';
import type { ImageToolSelector } from './image-tool.js';
import { previousImageStored, storedDigest } from './image-stored.js';
import { reusablePreviousBuild } from './rebuild-check.js';
import { imageDestination } from './registry-access.js';

/** Builds (or reuses) the request's image; see the module comment. */
export async function dockerBuild(
  context: BuildContext,
  tools: ImageToolSelector,
): Promise<BuildResult> {
  const { request, params, log } = context;
  const dockerfileParam = params.text('dockerfile');
  const buildRoot = params.optionalText('build_root') ?? '/';
  const args = params.keyValues('args');
  const env = params.env();
  const destination = await imageDestination(context);

  const reused = await reusablePreviousBuild(context, (fields) =>
    previousImageStored(context, destination, fields),
  );
  if (reused !== undefined) return reused;

  const tag = artifactTag(request);
  const target = `${destination.registry}/${destination.repository}:${tag}`;
  const existing = await storedDigest(context, destination, tag);
  if (existing !== undefined) {
    log.write(
      `${target} is already stored (an earlier attempt of this build pushed it): keeping it`,
    );
    return { fields: imageFields(destination.registry, destination.repository, tag, existing) };
  }

  const workspace = await context.workspace();
  const contextDir = params.pathIn(workspace, 'build_root', buildRoot);
  const dockerfile = params.pathIn(workspace, 'dockerfile', dockerfileParam);
  if (!existsSync(dockerfile)) {
    throw params.invalid(`the dockerfile "${dockerfileParam}" does not exist in the repository`);
  }
  const tool = await tools.select();
  log.write(
    `building ${dockerfileParam} (context ${buildRoot}${request.artifact.architecture === undefined ? '' : `, ${request.artifact.architecture}`}) with ${tool}, pushing ${target}`,
  );
  // `env` reaches the Dockerfile as build arguments (`ARG NAME`); `args` win over it.
  const buildArgs = new Map<string, string>([...Object.entries(env), ...args]);
  const input = {
    context,
    dockerfile,
    contextDir,
    buildArgs: [...buildArgs],
    env: { ...(context.options.baseEnv ?? defaultBaseEnv()), ...env },
    ...(request.artifact.architecture === undefined
      ? {}
      : { platform: request.artifact.architecture }),
    destination: target,
    registry: destination.registry,
    insecure: destination.login.insecure,
    credentials: destination.login.credentials,
    temp: await context.tempDir(),
  };
  const digest = tool === 'docker' ? await dockerBuildxBuild(input) : await buildahBuild(input);
  log.write(`pushed ${destination.registry}/${destination.repository}@${digest}`);
  return { fields: imageFields(destination.registry, destination.repository, tag, digest) };
}
