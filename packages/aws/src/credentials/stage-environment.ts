/** The environment variables a step (and `rampart exec`) gets: the standard `AWS_*` ones. */
import type { StageCredentials } from './credential-broker.js';

/**
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`,
 * `AWS_DEFAULT_REGION` (older tools read only this one), and `AWS_ENDPOINT_URL` when an endpoint
 * override is configured.
 */
export function stageEnvironment(
  stage: StageCredentials,
  endpointUrl: string | undefined,
): Record<string, string> {
  const { credentials } = stage;
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
    AWS_REGION: stage.region,
    AWS_DEFAULT_REGION: stage.region,
    ...(endpointUrl === undefined ? {} : { AWS_ENDPOINT_URL: endpointUrl }),
  };
}
