/** What an image tool (buildah, docker buildx) gets to build and push one image. */
import { writeFile } from 'node:fs/promises';
import type { RegistryCredentials } from '../oci/registry-client.js';
import type { BuildContext } from './build-context.js';

/** One image build, resolved: paths inside the checkout, and where to push. */
export interface ImageBuildInput {
  context: BuildContext;
  /** The Dockerfile (absolute, inside the checkout). */
  dockerfile: string;
  /** The build context directory (absolute, inside the checkout). */
  contextDir: string;
  /** `--build-arg` pairs, in order. */
  buildArgs: [string, string][];
  /** The build process's environment. */
  env: Record<string, string>;
  /** `linux/amd64`, `linux/arm64`. @default the host's */
  platform?: string;
  /** `registry/repository:tag` to push to. */
  destination: string;
  /** The registry's host, for the login. */
  registry: string;
  /** Plain HTTP registry. */
  insecure: boolean;
  credentials: RegistryCredentials;
  /** A private directory for login files and the digest file. */
  temp: string;
}

/** Writes a containers/docker auth file (mode 0600) holding one registry login. */
export async function writeAuthFile(path: string, registry: string, login: RegistryCredentials) {
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
  await writeFile(path, JSON.stringify({ auths: { [registry]: { auth } } }), { mode: 0o600 });
}
