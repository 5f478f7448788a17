// What every registry operation receives, and small helpers they share.
import type { SandboxHttpRequest, SandboxHttpResponse } from '../framework/http.js';
import type { SandboxRuntime } from '../framework/runtime.js';
import { findRepository, type EcrRepository } from '../services/ecr/ecr-state.js';
import { nameUnknown, REGISTRY_HEADERS } from './oci-error.js';
import type { RegistryAccess } from './registry-access.js';
import type { RegistryCaller } from './registry-auth.js';
import type { RegistryName, RegistryRoute } from './registry-routes.js';

/** One authenticated registry request on a repository. */
export interface RegistryCall {
  runtime: SandboxRuntime;
  request: SandboxHttpRequest;
  route: RegistryRoute;
  name: RegistryName;
  /** The route's tag, digest or upload id (empty when the route has none). */
  part: string;
  auth: RegistryCaller;
  access: RegistryAccess;
}

/** The repository of a call, or `NAME_UNKNOWN`. */
export function repositoryOf(call: RegistryCall): EcrRepository {
  const { accountId, region, repositoryName } = call.name;
  const repository = findRepository(call.runtime, accountId, region, repositoryName);
  if (!repository) throw nameUnknown(call.name.full);
  return repository;
}

/** A registry response with the common headers. */
export function respond(
  status: number,
  headers: Record<string, string>,
  body: SandboxHttpResponse['body'] = '',
): SandboxHttpResponse {
  return {
    status,
    headers: {
      ...REGISTRY_HEADERS,
      ...(typeof body === 'string' && body === '' ? { 'content-length': '0' } : {}),
      ...headers,
    },
    body,
  };
}

/** The path of something under a repository: `/v2/<name>/<suffix>`. */
export function registryPath(name: RegistryName, suffix: string): string {
  return `/v2/${name.full}/${suffix}`;
}
