/**
 * Builds and pushes an image with buildah, without a daemon or root-only features: the `vfs`
 * storage driver and `chroot` isolation, storage under the builder's work directory, the registry
 * login in a private auth file (never on the command line), and the pushed manifest's digest read
 * from `--digestfile`. The local image is removed after the push; the registry keeps it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RampartError } from '@rampart/core';
import { writeAuthFile, type ImageBuildInput } from './image-build-input.js';
import { runCommand } from './run-command.js';

/** The host's signature policy; a build uses its own (accept anything) when the host has none. */
const HOST_POLICY = '/etc/containers/policy.json';

/** buildah's global storage flags for the builder's work directory. */
async function storageFlags(workDir: string): Promise<{ flags: string[]; policy: string[] }> {
  const root = join(workDir, 'buildah');
  await mkdir(join(root, 'storage'), { recursive: true, mode: 0o700 });
  await mkdir(join(root, 'run'), { recursive: true, mode: 0o700 });
  let policy: string[] = [];
  if (!existsSync(HOST_POLICY)) {
    const file = join(root, 'policy.json');
    await writeFile(file, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    policy = ['--signature-policy', file];
  }
  const flags = [
    '--storage-driver',
    'vfs',
    '--root',
    join(root, 'storage'),
    '--runroot',
    join(root, 'run'),
  ];
  return { flags, policy };
}

/** Builds, pushes and returns the pushed manifest's digest. */
export async function buildahBuild(input: ImageBuildInput): Promise<string> {
  const { context } = input;
  const { request } = context;
  const { flags, policy } = await storageFlags(context.options.workDir);
  // One local name per build identity, so concurrent builds never share one.
  const identity = [request.deploymentId, request.artifact.id, request.stage?.stage ?? ''].join(
    '/',
  );
  const local = `localhost/rampart-build:${createHash('sha256').update(identity).digest('hex').slice(0, 20)}`;
  const env = {
    ...input.env,
    HOME: input.temp,
    TMPDIR: input.temp,
    BUILDAH_ISOLATION: 'chroot',
  };
  const cwd = input.contextDir;
  await context.run({
    command: 'buildah',
    args: [
      ...flags,
      'bud',
      '--isolation',
      'chroot',
      ...policy,
      ...(input.platform === undefined ? [] : ['--platform', input.platform]),
      '-f',
      input.dockerfile,
      ...input.buildArgs.flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
      '-t',
      local,
      input.contextDir,
    ],
    cwd,
    env,
    what: 'buildah bud',
  });
  const authFile = join(input.temp, 'auth.json');
  const digestFile = join(input.temp, 'digest');
  await writeAuthFile(authFile, input.registry, input.credentials);
  try {
    await context.run({
      command: 'buildah',
      args: [
        ...flags,
        'push',
        ...policy,
        '--authfile',
        authFile,
        '--digestfile',
        digestFile,
        ...(input.insecure ? ['--tls-verify=false'] : []),
        local,
        `docker://${input.destination}`,
      ],
      cwd,
      env,
      what: 'buildah push',
    });
  } finally {
    // The registry holds the image now (or the push failed): the local copy only takes space.
    await runCommand({
      command: 'buildah',
      args: [...flags, 'rmi', '--force', local],
      cwd,
      env,
      onLine: () => undefined,
    });
  }
  const digest = (await readFile(digestFile, 'utf8')).trim();
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new RampartError(
      'ARTIFACT_BUILD_FAILED',
      `buildah push wrote no manifest digest for ${input.destination} (read "${digest.slice(0, 80)}")`,
      { source: 'system', hint: 'Check the buildah version on the control plane (1.20 or later).' },
    );
  }
  return digest;
}
