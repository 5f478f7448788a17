/**
 * How a build reaches a registry: the destination repository in ECR with the build's login, and
 * other registries (an import's source, a previous build's copy) with an ECR login when they are
 * ECR (or the same endpoint override), anonymously otherwise.
 */
import { RampartError } from '@rampart/core';
import { RegistryClient, type RegistryCredentials } from '../oci/registry-client.js';
import type { BuildContext } from './build-context.js';
import { ecrHost, ecrRepository, type EcrLogin } from './ecr-registry.js';

/** The destination repository of an image build or import. */
export interface ImageDestination {
  registry: string;
  repository: string;
  login: EcrLogin;
}

/** Where the request's image goes, with the login to push there. */
export async function imageDestination(context: BuildContext): Promise<ImageDestination> {
  const { destination } = context;
  const { name, type } = context.request.artifact;
  if (destination.repository === undefined || destination.repository === '') {
    throw new RampartError(
      'ARTIFACT_PARAMS_INVALID',
      `artifact "${name}" (${type}) has no destination repository`,
      { source: 'system', hint: 'This is a planner bug: report it with the pipeline file.' },
    );
  }
  const login = await context.login();
  const where = ecrRepository(
    login,
    destination.accountId,
    destination.region,
    destination.repository,
  );
  return { ...where, login };
}

/**
 * The credentials for another registry host: the destination's login when it is the same
 * registry, an ECR login in the host's region when it is ECR, else none (anonymous).
 */
export async function credentialsFor(
  context: BuildContext,
  destination: ImageDestination,
  host: string,
): Promise<RegistryCredentials | undefined> {
  if (host === destination.registry || host === destination.login.registry) {
    return destination.login.credentials;
  }
  const ecr = ecrHost(host);
  if (ecr !== undefined) return (await context.login(ecr.region)).credentials;
  return undefined;
}

/** A client of `host`; plain HTTP when the destination is (the sandbox). */
export function registryClient(
  context: BuildContext,
  destination: ImageDestination,
  host: string,
  credentials: RegistryCredentials | undefined,
): RegistryClient {
  return new RegistryClient({
    registry: host,
    insecure: destination.login.insecure,
    signal: context.request.signal,
    ...(credentials === undefined ? {} : { credentials }),
  });
}
