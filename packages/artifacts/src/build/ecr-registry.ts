/**
 * ECR as a registry: a login (`GetAuthorizationToken`) and where a repository lives in it. Real
 * ECR serves each account and region on `<account>.dkr.ecr.<region>.amazonaws.com`; an endpoint
 * override (the sandbox) serves every account on its own host with `<account>/<region>/` in front
 * of the repository name, and speaks plain HTTP.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import { RampartError } from '@rampart/core';
import type { RegistryCredentials } from '../oci/registry-client.js';

/** A registry login for one account and region. */
export interface EcrLogin {
  /** `host[:port]` of the registry the token is for. */
  registry: string;
  /** Plain HTTP (an endpoint override such as the sandbox). */
  insecure: boolean;
  credentials: RegistryCredentials;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?)$/;

/** Whether `host` is a real ECR registry host; its account and region when it is. */
export function ecrHost(host: string): { accountId: string; region: string } | undefined {
  const match = ECR_HOST.exec(host);
  return match === null ? undefined : { accountId: match[1] ?? '', region: match[2] ?? '' };
}

/** Logs in to ECR with the client's credentials and region. */
export async function ecrLogin(ecr: ECRClient, signal?: AbortSignal): Promise<EcrLogin> {
  const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  let answer;
  try {
    answer = await ecr.send(
      new GetAuthorizationTokenCommand({}),
      signal === undefined ? {} : { abortSignal: signal },
    );
  } catch (error) {
    throw new RampartError(
      'ARTIFACT_STORE_FAILED',
      `cannot log in to ECR: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      {
        source: 'system',
        retryable: true,
        hint: 'Allow ecr:GetAuthorizationToken (on "*") to the role the build runs with.',
        cause: error,
      },
    );
  }
  const data = answer.authorizationData?.[0];
  const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (data?.proxyEndpoint === undefined || colon <= 0) {
    throw new RampartError('ARTIFACT_STORE_FAILED', 'ECR returned no registry login', {
      source: 'system',
      retryable: true,
      hint: 'Try again; if it persists, check the ECR endpoint the control plane is configured with.',
    });
  }
  const endpoint = new URL(data.proxyEndpoint);
  return {
    registry: endpoint.host,
    insecure: endpoint.protocol === 'http:',
    credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
  };
}

/** Where a repository of an account and region is, as `registry` and `repository` path. */
export function ecrRepository(
  login: EcrLogin,
  accountId: string,
  region: string,
  name: string,
): { registry: string; repository: string } {
  const host = ecrHost(login.registry);
  if (host !== undefined) {
    // The login names the caller's registry; the repository may be another account's.
    const suffix = login.registry.slice(login.registry.indexOf('.amazonaws.com'));
    return { registry: `${accountId}.dkr.ecr.${region}${suffix}`, repository: name };
  }
  return { registry: login.registry, repository: `${accountId}/${region}/${name}` };
}
