/**
 * The engine's ArtifactBuilder port over buildah/docker, bash, ECR and S3: resolves secrets,
 * opens the build's log and context, and hands the artifact to its type's handler.
 */
import { RampartError, isRampartError } from '@rampart/core';
import type { ArtifactBuilder, BuildRequest, BuildResult } from '@rampart/engine';
import type { ArtifactBuilderOptions } from './artifact-builder-options.js';
import { BuildContext, defaultBaseEnv } from './build-context.js';
import { BuildLog } from './build-log.js';
import { BuildParams } from './build-params.js';
import { bundleBuild } from './bundle-build.js';
import { bundleImport } from './bundle-import.js';
import { dockerBuild } from './docker-build.js';
import { dockerImport } from './docker-import.js';
import { ImageToolSelector } from './image-tool.js';
import { resolveSecretMarkers } from './secret-markers.js';

/** The artifact types, without the optional `RAMPART:` prefix. */
const TYPES = ['DOCKER:BUILD', 'DOCKER:IMPORT', 'BUNDLE:BUILD', 'BUNDLE:IMPORT'] as const;
type BuildType = (typeof TYPES)[number];

function buildType(type: string): BuildType | undefined {
  const bare = type.toUpperCase().replace(/^RAMPART:/, '');
  return TYPES.find((t) => t === bare);
}

/** Creates the builder; see {@link ArtifactBuilderOptions}. */
export function createArtifactBuilder(options: ArtifactBuilderOptions): ArtifactBuilder {
  const tools = new ImageToolSelector(options.imageBuilder ?? 'auto', {
    ...(options.baseEnv ?? defaultBaseEnv()),
    // `docker info` must look where `docker buildx build` will: a remote engine when configured.
    ...(process.env.DOCKER_HOST === undefined ? {} : { DOCKER_HOST: process.env.DOCKER_HOST }),
  });

  const build = async (request: BuildRequest): Promise<BuildResult> => {
    const { artifact } = request;
    const type = buildType(artifact.type);
    if (type === undefined) {
      throw new RampartError(
        'ARTIFACT_PARAMS_INVALID',
        `artifact "${artifact.name}" has the type "${artifact.type}", which the builder does not know`,
        {
          source: 'user',
          hint: `Use one of ${TYPES.join(', ')}.`,
        },
      );
    }
    const log = new BuildLog((text, stream) => request.log(text, stream));
    const { params, secretValues } = await resolveSecretMarkers(request, options.resolveSecrets);
    log.redact(secretValues);
    const credentials = await options.credentials(request);
    const context = new BuildContext(
      request,
      new BuildParams(artifact, params),
      log,
      options,
      credentials,
    );
    try {
      switch (type) {
        case 'DOCKER:BUILD':
          return await dockerBuild(context, tools);
        case 'BUNDLE:BUILD':
          return await bundleBuild(context);
        case 'DOCKER:IMPORT':
          return await dockerImport(context);
        case 'BUNDLE:IMPORT':
          return await bundleImport(context);
        default: {
          const unreachable: never = type;
          throw new Error(`unknown artifact type ${String(unreachable)}`);
        }
      }
    } catch (error) {
      if (
        request.signal.aborted &&
        !(isRampartError(error) && error.code === 'ARTIFACT_BUILD_CANCELLED')
      ) {
        throw context.cancelled();
      }
      throw error;
    } finally {
      await context.dispose();
    }
  };

  return { build };
}
