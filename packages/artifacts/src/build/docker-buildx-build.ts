/**
 * Builds and pushes an image with `docker buildx build --push` against a Docker engine: the
 * registry login goes into a private DOCKER_CONFIG (never on the command line or in the server
 * user's config), the digest comes from `--metadata-file`. Provenance attestations are off, so the
 * pushed digest is the image's manifest (what ECS and Lambda take), not an index.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { writeAuthFile, type ImageBuildInput } from './image-build-input.js';

/** Builds, pushes and returns the pushed manifest's digest. */
export async function dockerBuildxBuild(input: ImageBuildInput): Promise<string> {
  const { context } = input;
  const config = join(input.temp, 'docker');
  await mkdir(config, { recursive: true, mode: 0o700 });
  await writeAuthFile(join(config, 'config.json'), input.registry, input.credentials);
  const metadata = join(input.temp, 'metadata.json');
  await context.run({
    command: 'docker',
    args: [
      'buildx',
      'build',
      ...(input.platform === undefined ? [] : ['--platform', input.platform]),
      '-f',
      input.dockerfile,
      ...input.buildArgs.flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
      '-t',
      input.destination,
      '--push',
      '--provenance=false',
      '--metadata-file',
      metadata,
      input.contextDir,
    ],
    cwd: input.contextDir,
    env: {
      ...input.env,
      ...(process.env.DOCKER_HOST === undefined ? {} : { DOCKER_HOST: process.env.DOCKER_HOST }),
      DOCKER_CONFIG: config,
      HOME: input.temp,
    },
    what: 'docker buildx build',
  });
  let digest: unknown;
  try {
    const parsed = JSON.parse(await readFile(metadata, 'utf8')) as Record<string, unknown>;
    digest = parsed['containerimage.digest'];
  } catch {
    digest = undefined;
  }
  if (typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new RampartError(
      'ARTIFACT_BUILD_FAILED',
      `docker buildx wrote no image digest for ${input.destination}`,
      { source: 'system', hint: 'Use docker buildx 0.10 or later (it writes `--metadata-file`).' },
    );
  }
  return digest;
}
